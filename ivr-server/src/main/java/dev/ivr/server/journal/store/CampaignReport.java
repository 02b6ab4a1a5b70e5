package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.CampaignAttempt;
import dev.ivr.server.journal.kpi.CampaignCalculator;
import dev.ivr.server.journal.kpi.CampaignKpis;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign report: the attempts of the outbound campaigns (table {@code campaign_attempts}, by the time each
 * started), the opt-outs their calls recorded ({@code dnc_numbers} made by a flow for the campaign) and the agents'
 * talk and wrap-up on the answered calls (the journal's agent events up to {@link #TALK_HORIZON} after the period),
 * the same figures as {@link CampaignCalculator} over the rows read into memory ({@link #inMemory}), summed by the
 * database.
 */
public final class CampaignReport {
    /** How long after the period the agents' events are read: the talk of a call dialled at its end. */
    public static final Duration TALK_HORIZON = Duration.ofHours(12);
    /** How far after an agent's ON_CALL event its next events are looked for with it (further: one query more). */
    static final Duration NEXT_WINDOW = Duration.ofMinutes(30);

    private final DataSource dataSource;
    private final JournalReader reader;
    private final java.time.Clock clock;

    public CampaignReport(DataSource dataSource) {
        this(dataSource, java.time.Clock.systemUTC());
    }

    /** @param clock now: a wrap-up still open counts up to now at most */
    public CampaignReport(DataSource dataSource, java.time.Clock clock) {
        this.dataSource = dataSource;
        this.reader = new JournalReader(dataSource);
        this.clock = clock;
    }

    /** The report's rows: per interval and campaign ({@code campaign} null for every campaign, and "*"). */
    public ReportTable table(Instant from, Instant to, Intervals intervals, String campaign) throws SQLException {
        return Reports.campaigns(compute(from, to, intervals, campaign), campaign);
    }

    /** The same report from the rows read into memory ({@link CampaignCalculator}): the reference. */
    public ReportTable inMemory(Instant from, Instant to, Intervals intervals, String campaign) throws SQLException {
        return Reports.campaigns(readAndCompute(from, to, intervals, campaign), campaign);
    }

    /** The whole period's figures, of one campaign or of every campaign. */
    public CampaignKpis totals(Instant from, Instant to, String campaign) throws SQLException {
        CampaignCalculator.Result r = compute(from, to, new Intervals("all", 0, ZoneOffset.UTC), campaign).get(0);
        return campaign == null ? r.all() : r.campaigns().getOrDefault(campaign, CampaignKpis.zero(campaign));
    }

    /** How far the agents' events are read: {@link #TALK_HORIZON} after the period, but not beyond now. */
    private Instant until(Instant to) {
        Instant until = to.plus(TALK_HORIZON);
        if (until.isAfter(clock.instant())) {
            until = clock.instant().isAfter(to) ? clock.instant() : to;
        }
        return until;
    }

    /**
     * The figures per interval, summed by the database per quarter hour (UTC) the attempts started in, campaign and
     * result; the agents' talk and wrap-up per call ({@link #talks}: from the events of the answered attempts' calls
     * and their agents' next events, not from every agent event of the period) added to the answered attempts'
     * quarters; the quarter hours are put together into the intervals here. Intervals that do not fall on quarter
     * hours are computed from the rows read into memory.
     */
    public List<CampaignCalculator.Result> compute(Instant from, Instant to, Intervals intervals, String campaign)
            throws SQLException {
        if (!QueueReport.quarterHours(from, to, intervals)) {
            return readAndCompute(from, to, intervals, campaign);
        }
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        Map<Instant, Map<String, CampaignKpis>> sums = new HashMap<>();
        String only = campaign == null ? "" : " and campaign = ?";
        Instant until = until(to);
        String epoch = "extract(epoch from %s)";
        String result = "case when amd = 'MACHINE' and result in ('answered', 'abandoned') then 'machine' else result end";
        String quarter = "floor(" + epoch.formatted("started_at") + " / 900)";
        String answered = " and call_id is not null and lower(result) in ('answered', 'abandoned', 'machine')";
        // the attempts per quarter, campaign and result
        String counts = "select " + quarter + ", campaign, " + result + ", count(*) from campaign_attempts"
                + " where started_at >= ? and started_at < ?" + only + " group by " + quarter + ", campaign, " + result;
        // the answered attempts with a call: the agents' talk on that call is added to their quarter
        String calls = "select " + quarter + ", campaign, " + result + ", call_id from campaign_attempts"
                + " where started_at >= ? and started_at < ?" + only + answered;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(counts)) {
                bind(ps, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(2);
                        add(sums, ends, from, rs.getLong(1), name, CampaignCalculator.attempts(name, rs.getString(3),
                                rs.getLong(4), 0, 0, 0));
                    }
                }
            }
            Map<String, Talk> talks = talks(c, from, to, until, campaign);
            if (!talks.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(calls)) {
                    bind(ps, from, to, campaign);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Talk t = talks.get(rs.getString(4));
                            if (t != null) {
                                String name = rs.getString(2);
                                add(sums, ends, from, rs.getLong(1), name, CampaignCalculator.attempts(name,
                                        rs.getString(3), 0, 1, t.talkMs(), t.wrapUpMs()));
                            }
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select floor(" + epoch.formatted("added_at") + " / 900), campaign,"
                    + " count(*) from dnc_numbers where source = 'flow' and campaign is not null and added_at >= ?"
                    + " and added_at < ?" + only + " group by floor(" + epoch.formatted("added_at") + " / 900), campaign")) {
                bind(ps, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(2);
                        add(sums, ends, from, rs.getLong(1), name, CampaignCalculator.optOuts(name, rs.getLong(3)));
                    }
                }
            }
        }
        return CampaignCalculator.results(ends, sums);
    }

    /** An agents' talk and wrap-up on one call. */
    private record Talk(long talkMs, long wrapUpMs) {
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
     * The agents' talk and wrap-up per call of the period's answered attempts, as {@link CampaignCalculator} counts
     * them over the agents' events from {@code from} until {@code until}: from each ON_CALL event of the call to the
     * agent's next event, and the wrap-up that follows to the agent's event after it (or {@code until}). The ON_CALL
     * events are found by the calls' ids (index {@code journal_events_by_call}); their agent's next events in the
     * {@link #NEXT_WINDOW} after them by the agent's index ({@code journal_events_by_agent}), in the same query; an
     * ON_CALL whose next events lie further (a long talk or wrap-up) has them read by one query of its own. No agent
     * event other than the ones of the campaigns' calls and those just after them is read.
     */
    private static Map<String, Talk> talks(Connection c, Instant from, Instant to, Instant until, String campaign)
            throws SQLException {
        String agentEvent = "(case when n.event_type like 'AGENT%' then 1 else 0 end) = 1";
        String sql = "select e.call_id, e.agent_id, e.occurred_at, e.seq, n.occurred_at, n.seq, n.detail"
                + " from (select distinct call_id from campaign_attempts where started_at >= ? and started_at < ?"
                + (campaign == null ? "" : " and campaign = ?") + " and call_id is not null"
                + " and lower(result) in ('answered', 'abandoned', 'machine')) a"
                + " join journal_events e on e.call_id = a.call_id"
                + " left join journal_events n on n.agent_id = e.agent_id and n.occurred_at >= e.occurred_at"
                + " and n.occurred_at < ? and n.occurred_at <= e.occurred_at + interval '" + NEXT_WINDOW.toMinutes()
                + "' minute and " + agentEvent
                + " where e.agent_id is not null and e.event_type in ('AGENT_SIGNED_IN', 'AGENT_STATE', 'AGENT_WRAP_UP')"
                + " and e.detail = 'ON_CALL' and e.event_day >= ? and e.event_day <= ? and e.occurred_at >= ?"
                + " and e.occurred_at < ?";
        // per ON_CALL event (its seq): its call, agent, time, and the agent's events after it in the window
        Map<Long, String[]> starts = new HashMap<>();
        Map<Long, Instant> startAt = new HashMap<>();
        Map<Long, java.util.TreeSet<Event>> after = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, from, to, campaign);
            int i = campaign == null ? 3 : 4;
            ps.setObject(i++, until.atOffset(ZoneOffset.UTC));
            ps.setDate(i++, Date.valueOf(from.atZone(ZoneOffset.UTC).toLocalDate()));
            ps.setDate(i++, Date.valueOf(until.atZone(ZoneOffset.UTC).toLocalDate()));
            ps.setObject(i++, from.atOffset(ZoneOffset.UTC));
            ps.setObject(i, until.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(4);
                    Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                    starts.putIfAbsent(seq, new String[] {rs.getString(1), rs.getString(2)});
                    startAt.putIfAbsent(seq, at);
                    java.util.TreeSet<Event> line = after.computeIfAbsent(seq, k -> new java.util.TreeSet<>());
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
        Map<String, Talk> out = new HashMap<>();
        for (Map.Entry<Long, String[]> s : starts.entrySet()) {
            Instant at = startAt.get(s.getKey());
            List<Event> line = new ArrayList<>(after.get(s.getKey()));
            boolean whole = !at.plus(NEXT_WINDOW).isBefore(until); // the window reached until: nothing more to read
            boolean wrapEnd = line.size() >= 2 || line.size() == 1 && !"WRAP_UP".equals(line.get(0).detail());
            if (!whole && !wrapEnd) {
                line = next(c, s.getValue()[1], new Event(at, s.getKey(), null), until);
            }
            if (line.isEmpty()) {
                continue; // a talk still going on at the end of the events
            }
            Event n1 = line.get(0);
            long talk = Duration.between(at, n1.at()).toMillis();
            long wrap = 0;
            if ("WRAP_UP".equals(n1.detail())) {
                Instant end = line.size() >= 2 ? line.get(1).at() : until;
                wrap = Math.max(0, Duration.between(n1.at(), end).toMillis());
            }
            out.merge(s.getValue()[0], new Talk(talk, wrap), (x, y) -> new Talk(x.talkMs() + y.talkMs(),
                    x.wrapUpMs() + y.wrapUpMs()));
        }
        return out;
    }

    /** The agent's next two events after one, before {@code until}, however far. */
    private static List<Event> next(Connection c, String agent, Event e, Instant until) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select occurred_at, seq, detail from journal_events where "
                + JournalSummary.AGENT_ONLY + " and occurred_at >= ? and occurred_at < ?"
                + " and (occurred_at > ? or seq > ?) order by occurred_at, seq fetch first 2 rows only")) {
            ps.setString(1, agent);
            ps.setObject(2, e.at().atOffset(ZoneOffset.UTC));
            ps.setObject(3, until.atOffset(ZoneOffset.UTC));
            ps.setObject(4, e.at().atOffset(ZoneOffset.UTC));
            ps.setLong(5, e.seq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static void add(Map<Instant, Map<String, CampaignKpis>> sums, java.util.NavigableMap<Instant, Instant> ends, Instant from,
                            long quarter, String campaign, CampaignKpis k) {
        Instant at = Instant.ofEpochSecond(quarter * 900);
        sums.computeIfAbsent(ends.floorKey(at.isBefore(from) ? from : at), x -> new HashMap<>())
                .merge(campaign, k, CampaignKpis::plus);
    }

    /** The figures per interval from the period's rows read into memory. */
    private List<CampaignCalculator.Result> readAndCompute(Instant from, Instant to, Intervals intervals, String campaign)
            throws SQLException {
        List<CampaignAttempt> attempts = new ArrayList<>();
        List<CampaignCalculator.OptOut> optOuts = new ArrayList<>();
        String only = campaign == null ? "" : " and campaign = ?";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select campaign, started_at, case when amd = 'MACHINE' and result in ('answered', 'abandoned')"
                    + " then 'machine' else result end, call_id from campaign_attempts"
                    + " where started_at >= ? and started_at < ?" + only)) {
                bind(ps, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.add(new CampaignAttempt(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), rs.getString(4)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select campaign, added_at from dnc_numbers where source = 'flow'"
                    + " and campaign is not null and added_at >= ? and added_at < ?" + only)) {
                bind(ps, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        optOuts.add(new CampaignCalculator.OptOut(rs.getString(1),
                                rs.getObject(2, OffsetDateTime.class).toInstant()));
                    }
                }
            }
        }
        Instant until = until(to);
        boolean talked = attempts.stream().anyMatch(a -> a.callId() != null);
        List<JournalEvent> agentEvents = talked ? reader.agentEvents(from, until) : List.of();
        return CampaignCalculator.compute(attempts, optOuts, agentEvents, until, from, to, intervals);
    }

    private static void bind(PreparedStatement ps, Instant from, Instant to, String campaign) throws SQLException {
        ps.setObject(1, from.atOffset(ZoneOffset.UTC));
        ps.setObject(2, to.atOffset(ZoneOffset.UTC));
        if (campaign != null) {
            ps.setString(3, campaign);
        }
    }
}
