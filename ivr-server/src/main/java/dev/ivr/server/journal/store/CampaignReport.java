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
     * result, with the agents' talk and wrap-up per call (window functions over the agents' events, joined to the
     * answered attempts by call id); the quarter hours are put together into the intervals here. Intervals that do not
     * fall on quarter hours are computed from the rows read into memory.
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
        String order = " over (partition by agent_id order by occurred_at, seq)";
        String epoch = "extract(epoch from %s)";
        String result = "case when amd = 'MACHINE' and result in ('answered', 'abandoned') then 'machine' else result end";
        String quarter = "floor(" + epoch.formatted("started_at") + " / 900)";
        // the attempts per quarter, campaign and result
        String counts = "select " + quarter + ", campaign, " + result + ", count(*) from campaign_attempts"
                + " where started_at >= ? and started_at < ?" + only + " group by " + quarter + ", campaign, " + result;
        // the agents' talk and wrap-up per call of the period's attempts (window functions over the agents' events),
        // then joined to the answered attempts: the calls first (a left join keeps that order on H2, which would
        // otherwise evaluate the windows once per attempt)
        String talks = "select call_id, sum(floor((" + epoch.formatted("n1") + " - " + epoch.formatted("occurred_at")
                + ") * 1000)) as talk, sum(case when nd = 'WRAP_UP' then greatest(0, floor((" + epoch.formatted("coalesce(n2, ?)")
                + " - " + epoch.formatted("n1") + ") * 1000)) else 0 end) as wrap from (select call_id, event_type, detail,"
                + " occurred_at, lead(occurred_at, 1)" + order + " as n1, lead(detail, 1)" + order + " as nd,"
                + " lead(occurred_at, 2)" + order + " as n2 from journal_events where event_type in ('AGENT_SIGNED_IN',"
                + " 'AGENT_SIGNED_OUT', 'AGENT_STATE', 'AGENT_WRAP_UP') and agent_id is not null and event_day >= ?"
                + " and event_day <= ? and occurred_at >= ? and occurred_at < ?) o where call_id is not null"
                + " and event_type <> 'AGENT_SIGNED_OUT' and detail = 'ON_CALL' and n1 is not null"
                + " and call_id in (select call_id from campaign_attempts where started_at >= ? and started_at < ?"
                + " and call_id is not null" + only + ") group by call_id";
        String sql = "select floor(" + epoch.formatted("a.started_at") + " / 900), a.campaign, " + result.replace("amd", "a.amd")
                .replace(" result", " a.result") + ", count(*), sum(t.talk), sum(t.wrap) from (" + talks + ") t"
                + " left join campaign_attempts a on a.call_id = t.call_id and a.started_at >= ? and a.started_at < ?"
                + only.replace("campaign", "a.campaign")
                + " where a.call_id is not null and lower(a.result) in ('answered', 'abandoned', 'machine')"
                + " group by floor(" + epoch.formatted("a.started_at") + " / 900), a.campaign, "
                + result.replace("amd", "a.amd").replace(" result", " a.result");
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
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setTimestamp(i++, Timestamp.from(until));
                ps.setDate(i++, Date.valueOf(from.atZone(ZoneOffset.UTC).toLocalDate()));
                ps.setDate(i++, Date.valueOf(until.atZone(ZoneOffset.UTC).toLocalDate()));
                ps.setTimestamp(i++, Timestamp.from(from));
                ps.setTimestamp(i++, Timestamp.from(until));
                for (int k = 0; k < 2; k++) {
                    ps.setObject(i++, from.atOffset(ZoneOffset.UTC));
                    ps.setObject(i++, to.atOffset(ZoneOffset.UTC));
                    if (campaign != null) {
                        ps.setString(i++, campaign);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(2);
                        add(sums, ends, from, rs.getLong(1), name, CampaignCalculator.attempts(name, rs.getString(3),
                                0, rs.getLong(4), rs.getLong(5), rs.getLong(6)));
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
