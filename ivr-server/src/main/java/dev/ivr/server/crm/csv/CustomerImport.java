package dev.ivr.server.crm.csv;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports customers from CSV ({@link CustomerCsv}) in one transaction: either every valid row
 * is stored or nothing is. A row for an existing id replaces that customer's names, numbers,
 * attributes and account list (an account listed without PIN keeps its PIN). Rows with
 * problems are reported with their line numbers; by default any rejected row cancels the
 * whole import, with {@code skipInvalid} the valid rows are stored. PINs are hashed here and
 * appear in no message.
 */
public final class CustomerImport {
    private static final int CHUNK = 500;

    /** Reports progress, one step per CSV record. */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void start(long expectedRecords) {
            }

            @Override
            public void step() {
            }

            @Override
            public void finish() {
            }
        };

        void start(long expectedRecords);

        void step();

        void finish();
    }

    public record Options(boolean skipInvalid, boolean dryRun) {
    }

    public record Rejection(long line, String problem) {
    }

    /**
     * @param committed whether the database was changed (false on a dry run, or when rows were
     *                  rejected without skipInvalid)
     */
    public record Report(long records, int created, int updated, List<Rejection> rejected, boolean committed) {
    }

    /** The file cannot be imported at all (bad header, broken CSV, database error); nothing was changed. */
    public static final class ImportFailed extends Exception {
        public ImportFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DataSource dataSource;
    private final PhoneNumbers numbers;
    private final PinHasher pins;
    private final Clock clock;
    private final AttributeSchema schema;

    public CustomerImport(DataSource dataSource, PhoneNumbers numbers, PinHasher pins, Clock clock) {
        this(dataSource, numbers, pins, clock, AttributeSchema.NONE);
    }

    /** @param schema the declared attributes: their values are checked by type and stored canonical */
    public CustomerImport(DataSource dataSource, PhoneNumbers numbers, PinHasher pins, Clock clock, AttributeSchema schema) {
        this.dataSource = dataSource;
        this.numbers = numbers;
        this.pins = pins;
        this.clock = clock;
        this.schema = schema;
    }

    public Report run(Path file, Options options, Progress progress) throws ImportFailed {
        long expected;
        try {
            expected = Math.max(0, countLines(file) - 1);
        } catch (IOException e) {
            throw new ImportFailed("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Rejection> rejected = new ArrayList<>();
        int[] counts = new int[2]; // created, updated
        long records = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CustomerCsv.FORMAT.parse(reader);
             Connection c = dataSource.getConnection()) {
            Map<String, Integer> header = header(parser);
            List<String> headerProblems = CustomerCsv.checkHeader(parser.getHeaderNames().stream()
                    .map(h -> h.replace("\uFEFF", "").strip()).toList());
            if (!headerProblems.isEmpty()) {
                throw new ImportFailed(file + ": line 1: " + String.join("; ", headerProblems), null);
            }
            progress.start(expected);
            c.setAutoCommit(false);
            try {
                Map<String, Long> idLines = new HashMap<>();
                Map<String, Long> accountLines = new HashMap<>();
                List<CustomerCsv.Row> chunk = new ArrayList<>();
                long unreported = 0; // rows read whose chunk is not written yet: the bar moves when rows are stored
                for (CSVRecord r : parser) {
                    records++;
                    long line = parser.getCurrentLineNumber();
                    List<String> problems = new ArrayList<>();
                    CustomerCsv.Row row = CustomerCsv.parse(r, (int) line, header, numbers, schema, problems);
                    if (row != null) {
                        Long first = idLines.putIfAbsent(row.id(), line);
                        if (first != null) {
                            problems.add("id " + CustomerCsv.shown(row.id()) + " is already on line " + first);
                        }
                        for (int j = 0; j < row.accounts().size(); j++) {
                            Long other = accountLines.putIfAbsent(row.accounts().get(j).number(), line);
                            if (other != null) {
                                problems.add("accounts: entry " + (j + 1) + " is already on line " + other);
                            }
                        }
                    }
                    if (problems.isEmpty()) {
                        chunk.add(row);
                    } else {
                        rejected.add(new Rejection(line, String.join("; ", problems)));
                    }
                    unreported++;
                    if (chunk.size() >= CHUNK) {
                        write(c, chunk, rejected, counts);
                        chunk.clear();
                        unreported = steps(progress, unreported);
                    }
                }
                write(c, chunk, rejected, counts);
                steps(progress, unreported);
                boolean commit = !options.dryRun() && (rejected.isEmpty() || options.skipInvalid());
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
                rejected.sort((a, b) -> Long.compare(a.line(), b.line()));
                return new Report(records, counts[0], counts[1], List.copyOf(rejected), commit);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (UncheckedIOException e) {
            throw new ImportFailed(file + ": not valid CSV after record " + records + ": " + e.getCause().getMessage(), e);
        } catch (IllegalArgumentException e) { // Commons CSV on a header it cannot use
            // its message lists the header's names: the first customer's PINs when the header row is missing
            String why = String.valueOf(e.getMessage());
            throw new ImportFailed(file + ": line 1: " + (why.contains(":") ? why.substring(0, why.indexOf(':')) : why)
                    + " (is the header row missing?)", e);
        } catch (IOException e) {
            throw new ImportFailed("cannot read " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new ImportFailed("database error, nothing imported: " + withoutValues(e), e);
        } finally {
            progress.finish();
        }
    }

    /** Reports {@code n} rows done; returns 0. */
    private static long steps(Progress progress, long n) {
        for (long i = 0; i < n; i++) {
            progress.step();
        }
        return 0;
    }

    /**
     * A database error as it may be printed: drivers quote the offending values (a key that
     * is already there, a value too long), which may be a PIN of a shifted column.
     */
    static String withoutValues(SQLException e) {
        String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return m.replaceAll("'[^']*'", "'...'") + " (SQL state " + e.getSQLState() + ")";
    }

    private static Map<String, Integer> header(CSVParser parser) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : parser.getHeaderMap().entrySet()) {
            String name = e.getKey().replace("\uFEFF", "").strip();
            out.put(name, e.getValue());
        }
        return out;
    }

    private record Prepared(CustomerCsv.Row row, List<String> hashes) {
    }

    /** Stores a chunk of valid rows (rows whose accounts belong to other customers are rejected). */
    private void write(Connection c, List<CustomerCsv.Row> rows, List<Rejection> rejected, int[] counts) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> ids = rows.stream().map(CustomerCsv.Row::id).toList();
        Set<String> existing = new HashSet<>(strings(c, "select id from customers where id in ", ids));
        Map<String, String> owners = new HashMap<>();
        List<String> listed = rows.stream().flatMap(r -> r.accounts().stream().map(CustomerCsv.AccountEntry::number)).toList();
        for (List<String> part : parts(listed)) {
            try (PreparedStatement ps = c.prepareStatement("select account_number, customer_id from accounts where account_number in "
                    + in(part.size()))) {
                bind(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owners.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        List<CustomerCsv.Row> ok = new ArrayList<>();
        for (CustomerCsv.Row r : rows) {
            List<String> conflicts = new ArrayList<>();
            for (int j = 0; j < r.accounts().size(); j++) {
                String owner = owners.get(r.accounts().get(j).number());
                if (owner != null && !owner.equals(r.id())) {
                    conflicts.add("accounts: entry " + (j + 1) + " belongs to customer " + owner);
                }
            }
            String conflict = conflicts.isEmpty() ? null : String.join("; ", conflicts);
            if (conflict == null) {
                ok.add(r);
            } else {
                rejected.add(new Rejection(r.line(), conflict));
            }
        }
        // Argon2 is the slow part: hash on every core
        List<Prepared> prepared = ok.parallelStream().map(r -> new Prepared(r, r.accounts().stream()
                .map(a -> a.pin() != null ? pins.hash(a.pin()) : a.pinHash()).toList())).toList();
        Instant now = clock.instant();
        try (PreparedStatement update = c.prepareStatement("update customers set first_name = ?, last_name = ?,"
                + " language = ?, tier = ?, updated_at = ? where id = ?");
             PreparedStatement insert = c.prepareStatement("insert into customers (first_name, last_name, language, tier,"
                     + " updated_at, id, created_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            for (Prepared p : prepared) {
                CustomerCsv.Row r = p.row();
                boolean exists = existing.contains(r.id());
                PreparedStatement ps = exists ? update : insert;
                ps.setString(1, r.firstName());
                ps.setString(2, r.lastName());
                ps.setString(3, r.language());
                ps.setString(4, r.tier());
                ps.setObject(5, now.atOffset(ZoneOffset.UTC));
                ps.setString(6, r.id());
                if (!exists) {
                    ps.setObject(7, now.atOffset(ZoneOffset.UTC));
                }
                ps.addBatch();
                counts[exists ? 1 : 0]++;
            }
            update.executeBatch();
            insert.executeBatch();
        }
        List<String> okIds = prepared.stream().map(p -> p.row().id()).toList();
        List<String> existingOk = okIds.stream().filter(existing::contains).toList();
        for (List<String> part : parts(existingOk)) {
            execute(c, "delete from phone_numbers where customer_id in " + in(part.size()), part);
            execute(c, "delete from customer_attributes where customer_id in " + in(part.size()), part);
        }
        try (PreparedStatement phones = c.prepareStatement("insert into phone_numbers (e164, customer_id) values (?, ?)");
             PreparedStatement attrs = c.prepareStatement(
                     "insert into customer_attributes (customer_id, attr_name, attr_value, attr_number) values (?, ?, ?, ?)")) {
            for (Prepared p : prepared) {
                for (String e164 : p.row().phones()) {
                    phones.setString(1, e164);
                    phones.setString(2, p.row().id());
                    phones.addBatch();
                }
                for (Map.Entry<String, String> a : p.row().attributes().entrySet()) {
                    attrs.setString(1, p.row().id());
                    attrs.setString(2, a.getKey());
                    attrs.setString(3, a.getValue());
                    attrs.setBigDecimal(4, schema.number(a.getKey(), a.getValue()));
                    attrs.addBatch();
                }
            }
            phones.executeBatch();
            attrs.executeBatch();
        }
        writeAccounts(c, prepared, existingOk, now);
    }

    private void writeAccounts(Connection c, List<Prepared> prepared, List<String> existingCustomers, Instant now)
            throws SQLException {
        Map<String, String> current = new HashMap<>(); // account → owner, for the customers being replaced
        for (List<String> part : parts(existingCustomers)) {
            try (PreparedStatement ps = c.prepareStatement("select account_number, customer_id from accounts where customer_id in "
                    + in(part.size()))) {
                bind(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        current.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        Set<String> listed = new HashSet<>();
        try (PreparedStatement update = c.prepareStatement("update accounts set pin_hash = coalesce(?, pin_hash),"
                + " status = coalesce(?, status), updated_at = ? where account_number = ?");
             PreparedStatement insert = c.prepareStatement("insert into accounts (pin_hash, status, updated_at,"
                     + " account_number, customer_id, created_at) values (?, ?, ?, ?, ?, ?)")) {
            for (Prepared p : prepared) {
                List<CustomerCsv.AccountEntry> accounts = p.row().accounts();
                for (int i = 0; i < accounts.size(); i++) {
                    CustomerCsv.AccountEntry a = accounts.get(i);
                    listed.add(a.number());
                    boolean exists = current.containsKey(a.number());
                    PreparedStatement ps = exists ? update : insert;
                    String hash = p.hashes().get(i);
                    if (hash == null) {
                        ps.setNull(1, Types.VARCHAR);
                    } else {
                        ps.setString(1, hash);
                    }
                    ps.setString(2, exists ? a.status() : a.status() == null ? "active" : a.status());
                    ps.setObject(3, now.atOffset(ZoneOffset.UTC));
                    ps.setString(4, a.number());
                    if (!exists) {
                        ps.setString(5, p.row().id());
                        ps.setObject(6, now.atOffset(ZoneOffset.UTC));
                    }
                    ps.addBatch();
                }
            }
            update.executeBatch();
            insert.executeBatch();
        }
        List<String> dropped = current.keySet().stream().filter(a -> !listed.contains(a)).toList();
        for (List<String> part : parts(dropped)) {
            execute(c, "delete from accounts where account_number in " + in(part.size()), part);
        }
    }

    private static List<String> strings(Connection c, String sqlPrefix, List<String> values) throws SQLException {
        List<String> out = new ArrayList<>();
        for (List<String> part : parts(values)) {
            try (PreparedStatement ps = c.prepareStatement(sqlPrefix + in(part.size()))) {
                bind(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static void execute(Connection c, String sql, List<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, values);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int first, Collection<String> values) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
    }

    private static List<List<String>> parts(List<String> values) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i += 1000) {
            out.add(values.subList(i, Math.min(values.size(), i + 1000)));
        }
        return out;
    }

    private static String in(int n) {
        return "(" + "?, ".repeat(Math.max(0, n - 1)) + "?)";
    }

    private static long countLines(Path file) throws IOException {
        long lines = 0;
        boolean last = true;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                last = buf[n - 1] == '\n';
            }
        }
        return last ? lines : lines + 1;
    }
}
