package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the journal back for reports and the live KPIs (by time range, through the day and time indexes). The readers
 * of every event read both tables (V171: {@code journal_events}, and the node events of {@code journal_nodes}), each
 * in the order asked, and merge the two in that order: the same rows in the same order as one query of the view
 * {@code journal_all}, without the database sorting their union again (on H2 twice as long for a day's events:
 * docs/benchmarks.md, "seventeenth round ... (jn21)"); those of agents' events and ended calls only, {@code journal_events}.
 */
public final class JournalReader {
    /** Agent events this long before a report's start say which state each agent was in when it began. */
    public static final Duration AGENT_CONTEXT = Duration.ofHours(12);
    private static final String COLUMNS = "seq, event_id, occurred_at, event_type, call_id, flow, flow_node, queue,"
            + " agent_id, duration_ms, detail, reason, server, customer_id";
    /** {@link #COLUMNS} of a {@code journal_nodes} row (V171): a node event, without queue, agent, duration ... */
    private static final String NODE_COLUMNS = "seq, event_id, occurred_at, 'CALL_NODE', call_id, flow, flow_node, null,"
            + " null, null, null, null, server, null";
    /** Rows in time and table order. */
    private static final java.util.Comparator<Row> BY_TIME = java.util.Comparator
            .comparing((Row r) -> r.event().at()).thenComparingLong(Row::seq);
    /** Rows in table order. */
    private static final java.util.Comparator<Row> BY_SEQ = java.util.Comparator.comparingLong(Row::seq);

    private final DataSource dataSource;

    public JournalReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One event and its place in the table. */
    public record Row(long seq, JournalEvent event) {
    }

    /**
     * The events of {@code [from, to)}, and the agent events of the {@link #AGENT_CONTEXT} before {@code from},
     * oldest first.
     */
    public List<JournalEvent> events(Instant from, Instant to) throws SQLException {
        List<Row> events = new ArrayList<>();
        Instant context = from.minus(AGENT_CONTEXT);
        query("select " + COLUMNS + " from journal_events where event_day >= ? and event_day <= ?"
                + " and occurred_at >= ? and occurred_at < ?"
                + " and (occurred_at >= ? or event_type like 'AGENT%') order by occurred_at, seq", ps -> {
                    period(ps, context, context, to);
                    ps.setTimestamp(5, Timestamp.from(from));
                }, events::add);
        List<Row> nodes = new ArrayList<>();
        query("select " + NODE_COLUMNS + " from journal_nodes where event_day >= ? and event_day <= ?"
                + " and occurred_at >= ? and occurred_at < ? order by occurred_at, seq",
                ps -> period(ps, context, from, to), nodes::add); // the same day bounds; no agent events: the period's alone
        List<JournalEvent> out = new ArrayList<>(events.size() + nodes.size());
        merge(events, nodes, BY_TIME).forEach(r -> out.add(r.event()));
        return out;
    }

    /** The agents' events of {@code [from, to)}, oldest first (talk and wrap-up of campaign calls). */
    public List<JournalEvent> agentEvents(Instant from, Instant to) throws SQLException {
        List<JournalEvent> out = new ArrayList<>();
        query("select " + COLUMNS + " from journal_events where event_day >= ? and event_day <= ?"
                + " and occurred_at >= ? and occurred_at < ? and event_type like 'AGENT%' order by occurred_at, seq",
                ps -> period(ps, from, from, to), r -> out.add(r.event()));
        return out;
    }

    /** The ended calls of identified customers in {@code [from, to)}, oldest first (first-contact resolution). */
    public List<JournalEvent> endedWithCustomer(Instant from, Instant to) throws SQLException {
        List<JournalEvent> out = new ArrayList<>();
        query("select " + COLUMNS + " from journal_events where event_type = 'CALL_ENDED' and customer_id is not null"
                + " and event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ? order by occurred_at, seq",
                ps -> period(ps, from, from, to), r -> out.add(r.event()));
        return out;
    }

    /** Events added to the table after {@code seq} (by any server), at or after {@code since}, in table order. */
    public List<Row> after(long seq, Instant since) throws SQLException {
        return after(seq, since, true);
    }

    /**
     * As {@link #after(long, Instant)}; without the node events ({@code journal_nodes}) when {@code nodeEvents} is
     * false: for a reader that never reads them (the live KPIs), which then does not read that table at all.
     */
    public List<Row> after(long seq, Instant since, boolean nodeEvents) throws SQLException {
        List<Row> events = new ArrayList<>();
        query("select " + COLUMNS + " from journal_events where seq > ? and occurred_at >= ? order by seq", ps -> {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(since));
        }, events::add);
        if (!nodeEvents) {
            return events;
        }
        List<Row> nodes = new ArrayList<>();
        query("select " + NODE_COLUMNS + " from journal_nodes where seq > ? and occurred_at >= ? order by seq", ps -> {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(since));
        }, nodes::add);
        return merge(events, nodes, BY_SEQ);
    }

    /** Two lists each in {@code order}, as one in that order. */
    static List<Row> merge(List<Row> a, List<Row> b, java.util.Comparator<Row> order) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Row> out = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            out.add(order.compare(a.get(i), b.get(j)) <= 0 ? a.get(i++) : b.get(j++));
        }
        out.addAll(a.subList(i, a.size()));
        out.addAll(b.subList(j, b.size()));
        return out;
    }

    /** Binds {@code event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ?} (UTC days). */
    private static void period(PreparedStatement ps, Instant dayOf, Instant from, Instant to) throws SQLException {
        ps.setDate(1, java.sql.Date.valueOf(dayOf.atZone(java.time.ZoneOffset.UTC).toLocalDate()));
        ps.setDate(2, java.sql.Date.valueOf(to.atZone(java.time.ZoneOffset.UTC).toLocalDate()));
        ps.setTimestamp(3, Timestamp.from(from));
        ps.setTimestamp(4, Timestamp.from(to));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void query(String sql, Binder binder, Consumer<Row> rows) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.accept(new Row(rs.getLong(1), read(rs)));
                }
            }
        }
    }

    private static JournalEvent read(ResultSet rs) throws SQLException {
        long d = rs.getLong(10);
        Long duration = rs.wasNull() ? null : d;
        JournalEvent.Type type;
        try {
            type = JournalEvent.Type.valueOf(rs.getString(4));
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown journal event type " + rs.getString(4), "22000", e);
        }
        return new JournalEvent(rs.getString(2), rs.getTimestamp(3).toInstant(), type, rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), duration, rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14));
    }
}
