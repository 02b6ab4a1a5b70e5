package dev.ivr.server.crm.segment;

import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.attributes.AttributeSchema;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Saved segments in the database: checked when saved (the expression must compile against the
 * declared attributes), compiled again for every count (today() is the day of the count, the
 * clock's zone).
 */
public final class Segments {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final int MAX_SAMPLE = 100;

    private final DataSource dataSource;
    private final AttributeSchema schema;
    private final Clock clock;

    public Segments(DataSource dataSource, AttributeSchema schema, Clock clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.clock = clock;
    }

    public record Segment(String name, String expression, String description, String updatedBy, Instant updatedAt) {
    }

    /** A customer of a sample. */
    public record Member(String id, String firstName, String lastName) {
    }

    /** How many customers match, and the first few by id. */
    public record Count(String expression, LocalDate today, long total, List<Member> sample) {
    }

    public AttributeSchema schema() {
        return schema;
    }

    /** Checks an expression as {@link #save} does, without saving. */
    public SegmentQuery check(String expression) throws SegmentException {
        return SegmentCompiler.compile(expression, schema, LocalDate.now(clock));
    }

    /**
     * Saves (creates or replaces) a segment after checking it.
     *
     * @throws IllegalArgumentException for a bad name or description
     * @throws SegmentException         for an expression that cannot be used (line and column)
     */
    public Segment save(String name, String expression, String description, String by) throws SegmentException {
        checkName(name);
        if (description != null && description.length() > 1000) {
            throw new IllegalArgumentException("description: at most 1000 characters");
        }
        check(expression);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("delete from segments where name = ?");
                 PreparedStatement ins = c.prepareStatement("insert into segments (name, expression, description,"
                         + " updated_by, updated_at) values (?, ?, ?, ?, ?)")) {
                del.setString(1, name);
                del.executeUpdate();
                ins.setString(1, name);
                ins.setString(2, expression);
                ins.setString(3, description);
                ins.setString(4, by);
                ins.setObject(5, now.atOffset(ZoneOffset.UTC));
                ins.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return new Segment(name, expression, description, by, now);
    }

    public Optional<Segment> get(String name) {
        List<Segment> found = query("select name, expression, description, updated_by, updated_at from segments where name = ?", name);
        return found.stream().findFirst();
    }

    public List<Segment> list() {
        return query("select name, expression, description, updated_by, updated_at from segments order by name", null);
    }

    public boolean delete(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("delete from segments where name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Counts a saved segment's customers, with a sample of up to {@code sample} of them (by id).
     *
     * @return empty when there is no such segment
     * @throws SegmentException when the saved expression no longer fits the declared attributes
     */
    public Optional<Count> count(String name, int sample) throws SegmentException {
        Optional<Segment> s = get(name);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(countExpression(s.get().expression(), sample));
    }

    /** Counts the customers an expression selects. */
    public Count countExpression(String expression, int sample) throws SegmentException {
        LocalDate today = LocalDate.now(clock);
        SegmentQuery q = SegmentCompiler.compile(expression, schema, today);
        int n = Math.max(0, Math.min(MAX_SAMPLE, sample));
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from customers c where " + q.where())) {
                bind(ps, q.parameters());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Member> members = new ArrayList<>();
            if (n > 0 && total > 0) {
                try (PreparedStatement ps = c.prepareStatement("select c.id, c.first_name, c.last_name from customers c where "
                        + q.where() + " order by c.id limit " + n)) {
                    bind(ps, q.parameters());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            members.add(new Member(rs.getString(1), rs.getString(2), rs.getString(3)));
                        }
                    }
                }
            }
            return new Count(expression, today, total, List.copyOf(members));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The ids of every customer the expression selects (a campaign's list), in id order. */
    public List<String> members(String expression) throws SegmentException {
        SegmentQuery q = SegmentCompiler.compile(expression, schema, LocalDate.now(clock));
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select c.id from customers c where " + q.where() + " order by c.id")) {
            bind(ps, q.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return ids;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    private List<Segment> query(String sql, String param) {
        List<Segment> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime t = rs.getObject(5, OffsetDateTime.class);
                    out.add(new Segment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            t == null ? null : t.toInstant()));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof BigDecimal d) {
                ps.setBigDecimal(i + 1, d);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    private static CrmUnavailableException unavailable(SQLException e) {
        return new CrmUnavailableException("segments: the database failed (" + e.getSQLState() + ")", e);
    }
}
