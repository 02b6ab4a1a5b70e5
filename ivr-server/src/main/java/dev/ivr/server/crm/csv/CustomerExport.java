package dev.ivr.server.crm.csv;

import org.apache.commons.csv.CSVPrinter;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every customer as CSV in the import format ({@link CustomerCsv}), ordered by id, a page
 * at a time (any number of customers in little memory). PINs are never exported; with
 * {@code withPinHashes} their hashes are, so that an export imports into another database with
 * the same PINs. A cell a spreadsheet would run as a formula ({@code =cmd|...}, {@code +36...},
 * {@code @SUM(...)}) is written behind an apostrophe ({@link CustomerCsv#neutralise}), which the
 * import takes off again.
 */
public final class CustomerExport {
    private static final int PAGE = 1000;

    private final DataSource dataSource;

    public CustomerExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Account(String number, String hash, String status) {
    }

    /** @return the number of customers written */
    public long run(Writer out, boolean withPinHashes) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                List<String> attrNames = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select distinct attr_name from customer_attributes order by attr_name");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attrNames.add(rs.getString(1));
                    }
                }
                List<String> header = new ArrayList<>(List.of(CustomerCsv.ID, CustomerCsv.FIRST_NAME, CustomerCsv.LAST_NAME,
                        CustomerCsv.LANGUAGE, CustomerCsv.TIER, CustomerCsv.PHONES, CustomerCsv.ACCOUNTS, CustomerCsv.STATUSES));
                if (withPinHashes) {
                    header.add(CustomerCsv.PIN_HASHES);
                }
                attrNames.forEach(n -> header.add(CustomerCsv.ATTR + n));
                CSVPrinter printer = new CSVPrinter(out, CustomerCsv.OUTPUT);
                printer.printRecord(header);
                long written = 0;
                String after = null;
                while (true) {
                    Map<String, String[]> page = new LinkedHashMap<>();
                    try (PreparedStatement ps = c.prepareStatement("select id, first_name, last_name, language, tier"
                            + " from customers" + (after == null ? "" : " where id > ?") + " order by id limit " + PAGE)) {
                        if (after != null) {
                            ps.setString(1, after);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                page.put(rs.getString(1), new String[]{rs.getString(2), rs.getString(3), rs.getString(4),
                                        rs.getString(5)});
                            }
                        }
                    }
                    if (page.isEmpty()) {
                        break;
                    }
                    List<String> ids = new ArrayList<>(page.keySet());
                    Map<String, List<String>> phones = new HashMap<>();
                    Map<String, List<Account>> accounts = new HashMap<>();
                    Map<String, Map<String, String>> attrs = new HashMap<>();
                    String in = "(" + "?, ".repeat(ids.size() - 1) + "?)";
                    try (PreparedStatement ps = c.prepareStatement("select customer_id, e164 from phone_numbers"
                            + " where customer_id in " + in + " order by customer_id, e164")) {
                        bind(ps, ids);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                phones.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("select customer_id, account_number, pin_hash, status"
                            + " from accounts where customer_id in " + in + " order by customer_id, account_number")) {
                        bind(ps, ids);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                accounts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                        .add(new Account(rs.getString(2), rs.getString(3), rs.getString(4)));
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("select customer_id, attr_name, attr_value from customer_attributes"
                            + " where customer_id in " + in)) {
                        bind(ps, ids);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                attrs.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                            }
                        }
                    }
                    for (Map.Entry<String, String[]> e : page.entrySet()) {
                        String id = e.getKey();
                        String[] f = e.getValue();
                        List<Account> acc = accounts.getOrDefault(id, List.of());
                        List<String> row = new ArrayList<>(List.of(id, nz(f[0]), nz(f[1]), nz(f[2]), nz(f[3]),
                                String.join(";", phones.getOrDefault(id, List.of())),
                                String.join(";", acc.stream().map(Account::number).toList()),
                                String.join(";", acc.stream().map(Account::status).toList())));
                        if (withPinHashes) {
                            row.add(String.join(";", acc.stream().map(a -> nz(a.hash())).toList()));
                        }
                        Map<String, String> a = attrs.getOrDefault(id, Map.of());
                        attrNames.forEach(n -> row.add(nz(a.get(n))));
                        printer.printRecord(row.stream().map(CustomerCsv::neutralise).toList());
                        written++;
                    }
                    after = ids.get(ids.size() - 1);
                }
                printer.flush();
                return written;
            } finally {
                c.rollback();
            }
        }
    }

    private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
