package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.segment.SegmentException;
import dev.ivr.server.crm.segment.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Segment refresh ({@code refresh: 1h} on a campaign with a segment): while the campaign runs, its
 * segment is evaluated again once per period, by one server of the cluster, and the customers who
 * now match become pending contacts. Customers already in the campaign are never added again (they
 * keep their state, whatever it is), and contacts who stopped matching are left as they are: they
 * were chosen when they were added (a sliding window such as "contract ends in 25-30 days" moves
 * them out a day later, before they could all be called).
 *
 * <p>One server per period: each server, every {@link #CHECK_EVERY}, tries to claim the period with
 * one conditional update of the campaign's row ({@code refreshed_at} at least one period ago, no live
 * claim of another server); the server whose update changed the row refreshes, then releases the
 * claim. A server that dies while refreshing leaves a claim that expires after {@link #LEASE}; then
 * another server takes the period (adding is idempotent: a second run adds nothing twice).
 */
public final class SegmentRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentRefresher.class);
    /** How often a server looks for a campaign due for a refresh. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    /** How long a claim holds while its server refreshes. */
    static final Duration LEASE = Duration.ofMinutes(10);

    private final OutboundConfig config;
    private final DataSource dataSource;
    private final CampaignStore store;
    private final Segments segments;
    private final Clock clock;
    private final String node;
    private final ScheduledExecutorService timer;

    public SegmentRefresher(OutboundConfig config, CampaignStore store, Segments segments, Clock clock, String node) {
        this.config = config;
        this.store = store;
        this.dataSource = store.dataSource();
        this.segments = segments;
        this.clock = clock;
        this.node = node;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("segment-refresh").daemon().factory());
    }

    public SegmentRefresher start() {
        long ms = CHECK_EVERY.toMillis();
        timer.scheduleWithFixedDelay(this::refreshDue, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: every running campaign with a refresh due, that this server claims, is refreshed. */
    void refreshDue() {
        for (CampaignConfig c : config.campaigns()) {
            if (c.refresh() == null || !c.hasSegment()) {
                continue;
            }
            try {
                refreshIfDue(c);
            } catch (SQLException e) {
                LOG.warn("campaign {}: segment refresh not done, the database failed ({}); trying again", c.name(), e.getSQLState());
            } catch (SegmentException e) {
                LOG.warn("campaign {}: segment refresh not done: {}", c.name(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("campaign {}: segment refresh not done: {}", c.name(), e.toString());
            }
        }
    }

    /**
     * Refreshes the campaign when its period is due and this server wins the claim.
     *
     * @return the contacts added, or empty when this server did not refresh (not due, not running, another server's)
     */
    Optional<Integer> refreshIfDue(CampaignConfig c) throws SQLException, SegmentException {
        Instant now = clock.instant();
        if (!claim(c, now)) {
            return Optional.empty();
        }
        boolean done = false;
        try {
            Optional<Segments.Segment> segment = segments.get(c.segment());
            if (segment.isEmpty()) {
                throw new SegmentException(1, 1, "no saved segment '" + c.segment() + "' (./ivr segment save)");
            }
            List<String> ids = segments.members(segment.get().expression());
            int added = add(c.name(), ids, now);
            done = true;
            LOG.info("campaign {}: segment {} refreshed: {} member(s), {} new contact(s)", c.name(), c.segment(), ids.size(), added);
            return Optional.of(added);
        } finally {
            release(c.name(), now, done);
        }
    }

    /** Claims this period's refresh: one conditional update, which one server wins. */
    private boolean claim(CampaignConfig c, Instant now) throws SQLException {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("update campaign_runs set refresh_node = ?, refresh_until = ?"
                     + " where campaign = ? and status = 'running' and coalesce(refreshed_at, started_at, updated_at) <= ?"
                     + " and (refresh_until is null or refresh_until < ?)")) {
            ps.setString(1, node);
            ps.setObject(2, now.plus(LEASE).atOffset(ZoneOffset.UTC));
            ps.setString(3, c.name());
            ps.setObject(4, now.minus(c.refresh()).atOffset(ZoneOffset.UTC));
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends the claim: done, the period starts at the claim's time; failed, the next round may try again. */
    private void release(String campaign, Instant claimedAt, boolean done) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("update campaign_runs set refresh_node = null, refresh_until = null"
                     + (done ? ", refreshed_at = ?" : "") + " where campaign = ? and refresh_node = ?")) {
            int i = 1;
            if (done) {
                ps.setObject(i++, claimedAt.atOffset(ZoneOffset.UTC));
            }
            ps.setString(i++, campaign);
            ps.setString(i, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("campaign {}: segment refresh claim not released ({}); it expires in {}", campaign, e.getSQLState(), LEASE);
        }
    }

    /** Adds the customers not in the campaign yet as pending contacts (no number: no-number). */
    private int add(String campaign, List<String> ids, Instant now) throws SQLException {
        Set<String> present = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select customer_id from campaign_contacts where campaign = ?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        List<String> fresh = ids.stream().filter(id -> !present.contains(id)).toList();
        if (fresh.isEmpty()) {
            return 0;
        }
        Map<String, String> phones = store.firstPhones(fresh);
        int added = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("insert into campaign_contacts (campaign, customer_id, phone, state,"
                    + " attempts, next_at) select ?, ?, ?, ?, 0, ? from campaign_runs where campaign = ? and not exists"
                    + " (select 1 from campaign_contacts x where x.campaign = ? and x.customer_id = ?)")) {
                for (String id : fresh) {
                    String phone = phones.get(id);
                    ins.setString(1, campaign);
                    ins.setString(2, id);
                    ins.setString(3, phone);
                    ins.setString(4, phone == null ? "no-number" : "pending");
                    ins.setObject(5, now.atOffset(ZoneOffset.UTC));
                    ins.setString(6, campaign);
                    ins.setString(7, campaign);
                    ins.setString(8, id);
                    added += ins.executeUpdate(); // 0 when added meanwhile (a start, a reminder)
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return added;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
