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
import java.util.List;

/**
 * The campaign report: the attempts of the outbound campaigns (table {@code campaign_attempts}, by the time each
 * started), the opt-outs their calls recorded ({@code dnc_numbers} made by a flow for the campaign) and the agents'
 * talk and wrap-up on the answered calls (the journal's agent events up to {@link #TALK_HORIZON} after the period),
 * computed by {@link CampaignCalculator}. Reads the period's rows into memory.
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

    /** The whole period's figures, of one campaign or of every campaign. */
    public CampaignKpis totals(Instant from, Instant to, String campaign) throws SQLException {
        CampaignCalculator.Result r = compute(from, to, new Intervals("all", 0, ZoneOffset.UTC), campaign).get(0);
        return campaign == null ? r.all() : r.campaigns().getOrDefault(campaign, CampaignKpis.zero(campaign));
    }

    /** The figures per interval. */
    public List<CampaignCalculator.Result> compute(Instant from, Instant to, Intervals intervals, String campaign)
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
        Instant until = to.plus(TALK_HORIZON);
        if (until.isAfter(clock.instant())) {
            until = clock.instant().isAfter(to) ? clock.instant() : to;
        }
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
