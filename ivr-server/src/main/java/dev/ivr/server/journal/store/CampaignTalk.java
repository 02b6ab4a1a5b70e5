package dev.ivr.server.journal.store;

import dev.ivr.server.journal.store.JournalSummary.Stored;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The agents' talk, hold and wrap-up on each outbound campaign attempt's call, kept on its {@code campaign_attempts}
 * row by call id (columns of migration V162, which back-fills them with {@link #rebuild}): the campaign report reads
 * them instead of the agents' events. Kept by the journal writer beside the queue and agent summaries
 * ({@link JournalSummary#write}), from the same window of each agent's events around the new ones, with the same
 * definitions as {@link dev.ivr.server.journal.kpi.CampaignCalculator} over the events:
 * <ul>
 *   <li>a talk: an ON_CALL event of the call (not a sign-out) followed by another event of its agent: {@code talks}
 *       + 1, {@code talk_ms} the time between them, {@code handled_by} that agent;</li>
 *   <li>the wrap-up after it: when the agent's next event is WRAP_UP, to the event after that
 *       ({@code wrap_up_ms}); while that event is not written yet the wrap-up is open: {@code open_wraps} + 1 and
 *       {@code open_wrap_ms} + the epoch milliseconds it began at, so that a report adds
 *       {@code open_wraps * end - open_wrap_ms} up to its end (0 for a wrap-up that begins after that end);</li>
 *   <li>hold: the {@code durationMs} of the call's CALL_UNHOLD events ({@code hold_ms}, part of the talk).</li>
 * </ul>
 * The writer takes the contributions of the events around the new ones as they were and adds them as they are now
 * (a redelivered event is not written again and adds nothing), so a wrap-up that ends after the call moves from open
 * to closed when its end is written. A call with no attempt row (an inbound call) updates nothing.
 */
public final class CampaignTalk {
    static final String[] SUMS = {"talks", "talk_ms", "hold_ms", "wrap_up_ms", "open_wraps", "open_wrap_ms"};
    static final int TALKS = 0;
    static final int TALK = 1;
    static final int HOLD = 2;
    static final int WRAP = 3;
    static final int OPEN = 4;
    static final int OPEN_FROM = 5;
    /** How far after an ON_CALL event its agent's next events are read with it by {@link #rebuild}. */
    static final Duration NEXT_WINDOW = Duration.ofMinutes(30);

    private CampaignTalk() {
    }

    /** The changes of one writer transaction: per call id its sums and the agent of its last talk counted. */
    static final class Delta {
        final Map<String, long[]> sums = new TreeMap<>();
        final Map<String, String> agents = new HashMap<>();

        long[] row(String call) {
            return sums.computeIfAbsent(call, k -> new long[SUMS.length]);
        }

        boolean isEmpty() {
            return sums.isEmpty();
        }
    }

    /**
     * The talk that event {@code i} of an agent's timeline (in time and table order) makes when it is an ON_CALL with
     * a call id and the agent's next event is there, with its wrap-up (closed or open), with sign.
     */
    static void event(List<Stored> line, int i, Delta delta, int sign) {
        Stored e = line.get(i);
        if (e.callId() == null || !"ON_CALL".equals(e.detail()) || "AGENT_SIGNED_OUT".equals(e.type())
                || i + 1 >= line.size()) {
            return;
        }
        Stored next = line.get(i + 1);
        long[] r = delta.row(e.callId());
        r[TALKS] += sign;
        r[TALK] += sign * Duration.between(e.at(), next.at()).toMillis();
        if ("WRAP_UP".equals(next.detail())) {
            if (i + 2 < line.size()) {
                r[WRAP] += sign * Math.max(0, Duration.between(next.at(), line.get(i + 2).at()).toMillis());
            } else {
                r[OPEN] += sign;
                r[OPEN_FROM] += sign * next.at().toEpochMilli();
            }
        }
        if (sign > 0) {
            delta.agents.put(e.callId(), e.agent());
        }
    }

    /** A call's hold (its unhold event's duration), for an event just written. */
    static void hold(Stored e, Delta delta) {
        if ("CALL_UNHOLD".equals(e.type()) && e.callId() != null && e.durationMs() > 0) {
            delta.row(e.callId())[HOLD] += e.durationMs();
        }
    }

    /**
     * Adds the changes to the attempts of their calls: the calls with an attempt are looked up first (one query per
     * 500), then updated in call order (two writers never wait for each other in a circle).
     */
    static void apply(Connection c, Delta delta) throws SQLException {
        if (delta.isEmpty()) {
            return;
        }
        List<String> calls = new ArrayList<>(delta.sums.keySet());
        Set<String> attempted = new TreeSet<>();
        for (int i = 0; i < calls.size(); i += 500) {
            List<String> part = calls.subList(i, Math.min(calls.size(), i + 500));
            try (PreparedStatement ps = c.prepareStatement("select distinct call_id from campaign_attempts where call_id in ("
                    + "?, ".repeat(part.size() - 1) + "?)")) {
                for (int j = 0; j < part.size(); j++) {
                    ps.setString(j + 1, part.get(j));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempted.add(rs.getString(1));
                    }
                }
            }
        }
        if (attempted.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("update campaign_attempts set ");
        for (String s : SUMS) {
            sql.append(s).append(" = ").append(s).append(" + ?, ");
        }
        sql.append("handled_by = coalesce(?, handled_by) where call_id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (String call : attempted) {
                long[] s = delta.sums.get(call);
                int i = 1;
                for (long v : s) {
                    ps.setLong(i++, v);
                }
                ps.setString(i++, delta.agents.get(call));
                ps.setString(i, call);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** An agent event: its time, its place among the events of that time, its state. */
    private record Event(Instant at, long seq, String detail) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /**
     * Sets every attempt's talk, hold and wrap-up again from the journal, by the writer's definitions (the migration's
     * back-fill, V162, and the benchmark's after it made attempts); in the caller's transaction. The ON_CALL events of
     * the attempts' calls are found by call id (the unique constraint {@code journal_events_call_event}, call id
     * first), their agent's next events in the {@link #NEXT_WINDOW} after them by the agent's index in the same query;
     * an ON_CALL whose next events lie further has them read by one query of its own.
     *
     * @return the attempts that had a talk
     */
    public static int rebuild(Connection c) throws SQLException {
        StringBuilder reset = new StringBuilder("update campaign_attempts set ");
        for (String s : SUMS) {
            reset.append(s).append(" = 0, ");
        }
        reset.append("handled_by = null where talks <> 0 or hold_ms <> 0 or open_wraps <> 0 or handled_by is not null");
        try (Statement st = c.createStatement()) {
            st.executeUpdate(reset.toString());
        }
        String agentEvent = "(case when n.event_type like 'AGENT%' then 1 else 0 end) = 1";
        String sql = "select e.call_id, e.agent_id, e.occurred_at, e.seq, n.occurred_at, n.seq, n.detail"
                + " from (select distinct call_id from campaign_attempts where call_id is not null) a"
                + " join journal_events e on e.call_id = a.call_id"
                + " left join journal_events n on n.agent_id = e.agent_id and n.occurred_at >= e.occurred_at"
                + " and n.occurred_at <= e.occurred_at + interval '" + NEXT_WINDOW.toMinutes() + "' minute and " + agentEvent
                + " where e.agent_id is not null and e.event_type in ('AGENT_SIGNED_IN', 'AGENT_STATE', 'AGENT_WRAP_UP')"
                + " and e.detail = 'ON_CALL'";
        Map<Long, String[]> starts = new HashMap<>();
        Map<Long, Instant> startAt = new HashMap<>();
        Map<Long, TreeSet<Event>> after = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(4);
                    Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                    starts.putIfAbsent(seq, new String[] {rs.getString(1), rs.getString(2)});
                    startAt.putIfAbsent(seq, at);
                    TreeSet<Event> line = after.computeIfAbsent(seq, k -> new TreeSet<>());
                    OffsetDateTime n = rs.getObject(5, OffsetDateTime.class);
                    if (n != null) {
                        Event next = new Event(n.toInstant(), rs.getLong(6), rs.getString(7));
                        if (next.compareTo(new Event(at, seq, null)) > 0) {
                            line.add(next);
                        }
                    }
                }
            }
        }
        Delta delta = new Delta();
        for (Map.Entry<Long, String[]> s : starts.entrySet()) {
            Instant at = startAt.get(s.getKey());
            List<Event> line = new ArrayList<>(after.get(s.getKey()));
            boolean wrapEnd = line.size() >= 2 || line.size() == 1 && !"WRAP_UP".equals(line.get(0).detail());
            if (!wrapEnd) {
                line = next(c, s.getValue()[1], new Event(at, s.getKey(), null));
            }
            List<Stored> timeline = new ArrayList<>();
            timeline.add(new Stored(s.getKey(), null, at, "AGENT_STATE", s.getValue()[0], null, s.getValue()[1], 0,
                    "ON_CALL", null));
            for (Event n : line.subList(0, Math.min(2, line.size()))) {
                timeline.add(new Stored(n.seq(), null, n.at(), "AGENT_STATE", null, null, s.getValue()[1], 0, n.detail(), null));
            }
            event(timeline, 0, delta, 1);
        }
        try (PreparedStatement ps = c.prepareStatement("select call_id, sum(duration_ms) from journal_events"
                + " where event_type = 'CALL_UNHOLD' and duration_ms > 0 and (agent_id is not null or queue is not null)"
                + " and call_id in"
                + " (select call_id from campaign_attempts where call_id is not null) group by call_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    delta.row(rs.getString(1))[HOLD] += rs.getLong(2);
                }
            }
        }
        apply(c, delta);
        return (int) delta.sums.values().stream().filter(r -> r[TALKS] > 0).count();
    }

    /** The agent's next two events after one, however far. */
    private static List<Event> next(Connection c, String agent, Event e) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select occurred_at, seq, detail from journal_events where "
                + JournalSummary.AGENT_ONLY + " and occurred_at >= ? and (occurred_at > ? or seq > ?)"
                + " order by occurred_at, seq fetch first 2 rows only")) {
            ps.setString(1, agent);
            ps.setObject(2, e.at().atOffset(ZoneOffset.UTC));
            ps.setObject(3, e.at().atOffset(ZoneOffset.UTC));
            ps.setLong(4, e.seq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }
}
