package dev.ivr.server.outbound;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A campaign's progress in figures, for the API, the dashboard and the metrics: contacts by
 * state, attempts by result, the contact rate (answered share of finished attempts), what remains
 * (pending and dialling contacts) and an estimated finish from the pace of the last hour.
 */
public final class CampaignProgress {
    /** The pace is measured over this window. */
    static final Duration PACE = Duration.ofHours(1);
    /** The abandon rate is measured over this window (as regulators count it). */
    static final Duration ABANDON_WINDOW = Duration.ofHours(24);
    private final CampaignStore store;
    private final DataSource dataSource;

    public CampaignProgress(CampaignStore store) {
        this.store = store;
        this.dataSource = store.dataSource();
    }

    /**
     * @param contactRate     answered / finished attempts (null before the first finished attempt)
     * @param remaining       contacts still to be called (pending or being dialled)
     * @param contactsPerHour contacts finished (done, failed, dnc) in the last hour
     * @param estimatedFinish now + remaining at that pace (null without a pace)
     * @param abandonRate     abandoned / (answered + abandoned) attempts placed in the last 24 h, all servers (null
     *                        without an answered call then): the figure the predictive cap holds
     */
    public record Figures(String status, Map<String, Integer> contacts, Map<String, Integer> attempts, Double contactRate,
                          int remaining, int contactsPerHour, Instant estimatedFinish, Double abandonRate) {
        public int total() {
            return contacts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Null when the campaign was never started. */
    public Figures figures(String campaign, Instant now) throws SQLException {
        var status = store.status(campaign);
        if (status.isEmpty()) {
            return null;
        }
        Map<String, Integer> contacts = store.contactStates(campaign);
        Map<String, Integer> attempts = store.attemptResults(campaign);
        int answered = attempts.getOrDefault("answered", 0);
        int finished = attempts.entrySet().stream().filter(e -> !"dialing".equals(e.getKey())).mapToInt(Map.Entry::getValue).sum();
        Double rate = finished == 0 ? null : (double) answered / finished;
        int remaining = contacts.getOrDefault("pending", 0) + contacts.getOrDefault("dialing", 0);
        int pace = finishedSince(campaign, now.minus(PACE));
        Instant finish = remaining == 0 ? now : pace == 0 ? null
                : now.plusSeconds((long) Math.ceil(remaining * (double) PACE.toSeconds() / pace));
        return new Figures(status.get(), contacts, attempts, rate, remaining, pace, finish, abandonRate(campaign, now));
    }

    /** Abandoned share of the answered attempts placed in the last 24 h, or null when none was answered. */
    private Double abandonRate(String campaign, Instant now) throws SQLException {
        int answered = 0;
        int abandoned = 0;
        for (CampaignStore.Answer a : store.answersSince(campaign, now.minus(ABANDON_WINDOW))) {
            if (a.abandoned()) {
                abandoned++;
            } else {
                answered++;
            }
        }
        return answered + abandoned == 0 ? null : (double) abandoned / (answered + abandoned);
    }

    /** Contacts whose last attempt ended since {@code since} and who are finished. */
    private int finishedSince(String campaign, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(distinct a.customer_id) from campaign_attempts a join"
                     + " campaign_contacts k on k.campaign = a.campaign and k.customer_id = a.customer_id where a.campaign = ?"
                     + " and a.ended_at >= ? and k.state in ('done', 'failed', 'dnc')")) {
            ps.setString(1, campaign);
            ps.setObject(2, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
