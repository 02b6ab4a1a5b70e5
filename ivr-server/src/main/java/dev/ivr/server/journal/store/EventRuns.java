package dev.ivr.server.journal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Each call's (or agent's) events in turn: the summaries' rebuilds read every event they count, ordered by the call or
 * agent first, and sum one call's or agent's events at a time ({@link FlowSummary#rebuild},
 * {@link FunnelSummary#rebuild}, {@link AgentSummary#rebuild}). Streams the rows (a fetch size, not the whole journal
 * in memory) and hands each run of rows with the same key, in the query's order, to the caller.
 */
final class EventRuns {
    private EventRuns() {
    }

    /** One row read into an event. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** One key's events, in the query's order (the list is reused: copy what is kept). */
    @FunctionalInterface
    interface Run<T> {
        void accept(List<T> events) throws SQLException;
    }

    /**
     * Runs {@code sql} (ordered by {@code keyColumn} first; no parameters) and hands each run of rows with the same
     * non-null {@code keyColumn} to {@code run}; an empty journal hands nothing.
     */
    static <T> void each(Connection c, String sql, String keyColumn, Row<T> row, Run<T> run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                int key = rs.findColumn(keyColumn);
                String current = null;
                List<T> events = new ArrayList<>();
                while (rs.next()) {
                    String k = rs.getString(key);
                    if (!k.equals(current)) {
                        if (!events.isEmpty()) {
                            run.accept(events);
                            events.clear();
                        }
                        current = k;
                    }
                    events.add(row.read(rs));
                }
                if (!events.isEmpty()) {
                    run.accept(events);
                }
            }
        }
    }
}
