package dev.ivr.server.outbound;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV contact list ({@link ContactCsv}) into a campaign, all or nothing. The campaign calls
 * customers of the CRM (their history, time zone and one-call-at-a-time lock are the customer's),
 * so every row must lead to one:
 * <ul>
 *   <li>a customer id: the customer must exist; the row's number is called, else the customer's
 *       first number (a customer with neither is a bad row);</li>
 *   <li>a number alone: the customer who has that number (none: a bad row; import the customers
 *       first with {@code ./ivr import-customers}).</li>
 * </ul>
 * One bad row imports nothing and every bad row is named with its line. Rows for the same
 * customer count once (the first); customers already in the campaign keep their state. The
 * do-not-call list is not applied here: it is checked when each call is about to be placed.
 */
public final class ContactImport {
    /** The most problems an answer lists (the count says how many there were). */
    static final int MAX_SHOWN = 100;
    private final DataSource dataSource;

    public ContactImport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What an import did. */
    public record Report(int rows, int added, int alreadyInCampaign, int duplicates) {
    }

    /** The list has bad rows: nothing was imported. */
    public static final class Rejected extends Exception {
        private final List<String> problems;

        public Rejected(List<String> problems) {
            super(problems.size() + " bad row(s), nothing imported: " + String.join("; ",
                    problems.subList(0, Math.min(problems.size(), 5))) + (problems.size() > 5 ? "; ..." : ""));
            this.problems = List.copyOf(problems.subList(0, Math.min(problems.size(), MAX_SHOWN)));
        }

        /** The problems, at most {@link #MAX_SHOWN} of them. */
        public List<String> problems() {
            return problems;
        }
    }

    public Report run(String campaign, ContactCsv.Parsed parsed, Instant now) throws Rejected, SQLException {
        if (!parsed.problems().isEmpty()) {
            throw new Rejected(withCount(parsed.problems()));
        }
        if (parsed.rows().isEmpty()) {
            throw new Rejected(List.of("line 2: no contacts after the header"));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> problems = new ArrayList<>();
                List<ContactCsv.Row> rows = parsed.rows();
                Set<String> ids = existing(c, rows.stream().map(ContactCsv.Row::customerId).filter(java.util.Objects::nonNull).toList());
                Map<String, String> byNumber = customersByNumber(c, rows.stream().filter(r -> r.customerId() == null)
                        .map(ContactCsv.Row::e164).toList());
                Map<String, String> firstPhones = firstPhones(c, rows.stream().filter(r -> r.customerId() != null && r.e164() == null)
                        .map(ContactCsv.Row::customerId).toList());
                Map<String, String> contacts = new LinkedHashMap<>(); // customer -> number
                int duplicates = parsed.duplicates();
                for (ContactCsv.Row r : rows) {
                    String customer = r.customerId();
                    String number = r.e164();
                    if (customer != null && !ids.contains(customer)) {
                        problems.add("line " + r.line() + ": customer: no customer '" + ContactCsv.shown(customer)
                                + "' (import the customers first: ./ivr import-customers)");
                        continue;
                    }
                    if (customer == null) {
                        customer = byNumber.get(number);
                        if (customer == null) {
                            problems.add("line " + r.line() + ": phone: no customer has the number " + number
                                    + " (import the customers first: ./ivr import-customers)");
                            continue;
                        }
                    }
                    if (number == null) {
                        number = firstPhones.get(customer);
                        if (number == null) {
                            problems.add("line " + r.line() + ": customer " + ContactCsv.shown(customer)
                                    + " has no phone number: give one in the phone column");
                            continue;
                        }
                    }
                    if (contacts.putIfAbsent(customer, number) != null) {
                        duplicates++; // the same customer by id on one row and by number on another
                    }
                }
                if (!problems.isEmpty()) {
                    c.rollback();
                    throw new Rejected(withCount(problems));
                }
                int added = CampaignStore.addContacts(c, campaign, contacts, now);
                c.commit();
                return new Report(rows.size() + parsed.duplicates(), added, contacts.size() - added, duplicates);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static List<String> withCount(List<String> problems) {
        if (problems.size() <= MAX_SHOWN) {
            return problems;
        }
        List<String> out = new ArrayList<>(problems.subList(0, MAX_SHOWN - 1));
        out.add("... and " + (problems.size() - MAX_SHOWN + 1) + " more bad row(s)");
        return out;
    }

    private static Set<String> existing(Connection c, List<String> ids) throws SQLException {
        Set<String> out = new HashSet<>();
        for (List<String> part : parts(ids)) {
            try (PreparedStatement ps = c.prepareStatement("select id from customers where id in (" + marks(part) + ")")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> customersByNumber(Connection c, List<String> numbers) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (List<String> part : parts(numbers)) {
            try (PreparedStatement ps = c.prepareStatement("select e164, min(customer_id) from phone_numbers where e164 in ("
                    + marks(part) + ") group by e164")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> firstPhones(Connection c, List<String> ids) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (List<String> part : parts(ids)) {
            try (PreparedStatement ps = c.prepareStatement("select customer_id, min(e164) from phone_numbers where customer_id in ("
                    + marks(part) + ") group by customer_id")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    private static List<List<String>> parts(List<String> all) {
        List<String> distinct = all.stream().distinct().toList();
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i += 500) {
            out.add(distinct.subList(i, Math.min(distinct.size(), i + 500)));
        }
        return out;
    }

    private static String marks(List<String> part) {
        return "?, ".repeat(part.size() - 1) + "?";
    }

    private static void bind(PreparedStatement ps, List<String> part) throws SQLException {
        for (int j = 0; j < part.size(); j++) {
            ps.setString(j + 1, part.get(j));
        }
    }
}
