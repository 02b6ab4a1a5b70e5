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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign report: the attempts of the outbound campaigns (table {@code campaign_attempts}, by the time each
 * started), the opt-outs their calls recorded ({@code dnc_numbers} made by a flow for the campaign) and the agents'
 * talk and wrap-up on the answered calls, which the journal writer keeps on each attempt's row ({@link CampaignTalk},
 * migration V162): the same figures as {@link CampaignCalculator} over the rows and the agents' events read into
 * memory ({@link #inMemory}, the reference), summed by the database from the attempt rows alone.
 */
public final class CampaignReport {
    /**
     * How far after the period a wrap-up still open counts (up to now at most); the reference ({@link #inMemory})
     * also reads the agents' events that far, for the talk of a call dialled at the period's end.
     */
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

    /**
     * How far an open wrap-up counts and the reference reads the agents' events: {@link #TALK_HORIZON} after the
     * period, but not beyond now.
     */
    private Instant until(Instant to) {
        Instant until = to.plus(TALK_HORIZON);
        if (until.isAfter(clock.instant())) {
            until = clock.instant().isAfter(to) ? clock.instant() : to;
        }
        return until;
    }

    /** An attempt's row's result as the report counts it: an answered call that AMD found a machine is "machine". */
    private static final String RESULT = "case when amd = 'MACHINE' and result in ('answered', 'abandoned') then 'machine'"
            + " else result end";
    /** The talks that ended on the attempt's call. */
    private static final String HANDLED = "case when talks > 0 then 1 else 0 end";
    /** The wrap-up on the attempt's call: the ended ones and the open ones up to the end bound (parameter: epoch ms). */
    private static final String WRAP = "wrap_up_ms + case when open_wraps > 0 and open_wraps * ? > open_wrap_ms"
            + " then open_wraps * ? - open_wrap_ms else 0 end";

    /**
     * The figures per interval, summed by the database per quarter hour (UTC) the attempts started in, campaign and
     * result, with the agents' talk and wrap-up on the attempts' calls as their rows keep them ({@link CampaignTalk}:
     * the journal writer adds each talk as it ends, an open wrap-up counts up to {@link #until}); no journal event is
     * read. The quarter hours are put together into the intervals here. Intervals that do not fall on quarter hours
     * are computed from the period's attempt rows read into memory, with the same talk columns.
     */
    public List<CampaignCalculator.Result> compute(Instant from, Instant to, Intervals intervals, String campaign)
            throws SQLException {
        Instant until = until(to);
        if (!QueueReport.quarterHours(from, to, intervals)) {
            return rowsAndCompute(from, to, intervals, campaign, until);
        }
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        Map<Instant, Map<String, CampaignKpis>> sums = new HashMap<>();
        String only = campaign == null ? "" : " and campaign = ?";
        String epoch = "extract(epoch from %s)";
        String quarter = "floor(" + epoch.formatted("started_at") + " / 900)";
        // the attempts per quarter, campaign and result, with their calls' talk and wrap-up
        String counts = "select " + quarter + ", campaign, " + RESULT + ", count(*), sum(" + HANDLED + "), sum(talk_ms),"
                + " sum(" + WRAP + ") from campaign_attempts where started_at >= ? and started_at < ?" + only
                + " group by " + quarter + ", campaign, " + RESULT;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(counts)) {
                ps.setLong(1, until.toEpochMilli());
                ps.setLong(2, until.toEpochMilli());
                bind(ps, 3, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(2);
                        add(sums, ends, from, rs.getLong(1), name, CampaignCalculator.attempts(name, rs.getString(3),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
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

    /** The figures per interval from the period's attempt rows (with their calls' talk) and opt-outs read into memory. */
    private List<CampaignCalculator.Result> rowsAndCompute(Instant from, Instant to, Intervals intervals, String campaign,
                                                           Instant until) throws SQLException {
        List<CampaignAttempt> attempts = new ArrayList<>();
        Map<String, CampaignCalculator.Talk> talks = new HashMap<>();
        String only = campaign == null ? "" : " and campaign = ?";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select campaign, started_at, " + RESULT + ", call_id, talks,"
                    + " talk_ms, " + WRAP + " from campaign_attempts where started_at >= ? and started_at < ?" + only)) {
                ps.setLong(1, until.toEpochMilli());
                ps.setLong(2, until.toEpochMilli());
                bind(ps, 3, from, to, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String call = rs.getString(4);
                        attempts.add(new CampaignAttempt(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), call));
                        if (call != null && rs.getLong(5) > 0) {
                            talks.put(call, new CampaignCalculator.Talk(rs.getLong(6), rs.getLong(7)));
                        }
                    }
                }
            }
            return CampaignCalculator.compute(attempts, optOuts(c, from, to, campaign), talks, from, to, intervals);
        }
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
            optOuts.addAll(optOuts(c, from, to, campaign));
        }
        Instant until = until(to);
        boolean talked = attempts.stream().anyMatch(a -> a.callId() != null);
        List<JournalEvent> agentEvents = talked ? reader.agentEvents(from, until) : List.of();
        return CampaignCalculator.compute(attempts, optOuts, agentEvents, until, from, to, intervals);
    }

    /** The opt-outs the campaigns' calls made in the period. */
    private static List<CampaignCalculator.OptOut> optOuts(Connection c, Instant from, Instant to, String campaign)
            throws SQLException {
        List<CampaignCalculator.OptOut> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select campaign, added_at from dnc_numbers where source = 'flow'"
                + " and campaign is not null and added_at >= ? and added_at < ?" + (campaign == null ? "" : " and campaign = ?"))) {
            bind(ps, from, to, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CampaignCalculator.OptOut(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, Instant from, Instant to, String campaign) throws SQLException {
        bind(ps, 1, from, to, campaign);
    }

    private static void bind(PreparedStatement ps, int first, Instant from, Instant to, String campaign) throws SQLException {
        ps.setObject(first, from.atOffset(ZoneOffset.UTC));
        ps.setObject(first + 1, to.atOffset(ZoneOffset.UTC));
        if (campaign != null) {
            ps.setString(first + 2, campaign);
        }
    }
}
