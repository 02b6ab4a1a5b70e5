package dev.ivr.server.webhook.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.EventJson;
import dev.ivr.server.webhook.Subscription;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook tables ({@code V45__webhooks.sql}). Deliveries are made by {@link #fanOut} inside the transaction
 * that writes their journal events; a server {@link #claim}s due ones by lease, and only the oldest undelivered
 * delivery of a call (per subscription) is ever due, so a call's events reach a receiver in order. A delivery
 * whose server died is taken again once its lease runs out. Statuses: PENDING, DELIVERED (kept a while, so a
 * batch written again after a crash is not sent twice), DEAD (the dead-letter list).
 */
public final class JdbcWebhooks {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcWebhooks.class);
    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";
    private static final String COLUMNS = "d.id, d.subscription_id, d.event_id, d.event_type, d.occurred_at, d.payload,"
            + " d.attempts, d.last_status, d.last_error";

    private final DataSource dataSource;

    public JdbcWebhooks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A subscription with its sealed secret. */
    public record Stored(Subscription subscription, String sealedSecret) {
    }

    /** Queue figures of one subscription. */
    public record Counts(long pending, long dead) {
    }

    public void add(Subscription s, String sealedSecret) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into webhook_subscriptions (id, url, event_types, queue,"
                     + " description, secret_sealed, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.url());
            ps.setString(3, String.join(",", s.typeNames()));
            ps.setString(4, s.queue());
            ps.setString(5, s.description());
            ps.setString(6, sealedSecret);
            ps.setTimestamp(7, Timestamp.from(s.createdAt()));
            ps.setString(8, s.createdBy());
            ps.executeUpdate();
        }
    }

    /** Removes the subscription and its deliveries (pending and dead); false when there is none. */
    public boolean remove(String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("delete from webhook_deliveries where subscription_id = ?");
                 PreparedStatement s = c.prepareStatement("delete from webhook_subscriptions where id = ?")) {
                d.setString(1, id);
                d.executeUpdate();
                s.setString(1, id);
                int n = s.executeUpdate();
                c.commit();
                return n == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public List<Stored> list() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return list(c, null);
        }
    }

    public Optional<Stored> get(String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return list(c, id).stream().findFirst();
        }
    }

    private static List<Stored> list(Connection c, String id) throws SQLException {
        String sql = "select id, url, event_types, queue, description, secret_sealed, created_at, created_by"
                + " from webhook_subscriptions" + (id == null ? "" : " where id = ?") + " order by created_at, id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Subscription s = new Subscription(rs.getString(1), rs.getString(2),
                            Subscription.parseTypes(List.of(rs.getString(3).split(","))), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(7).toInstant(), rs.getString(8));
                    out.add(new Stored(s, rs.getString(6)));
                }
            }
            return out;
        }
    }

    /**
     * Makes the deliveries of a batch of journal events, on the connection (and in the transaction) that writes
     * them. Idempotent: an event already queued for a subscription is not queued again.
     */
    public void fanOut(Connection c, List<JournalEvent> batch) throws SQLException {
        List<Subscription> subs = list(c, null).stream().map(Stored::subscription).toList();
        if (subs.isEmpty()) {
            return;
        }
        // the journal's own rows come first: a delivery that cannot be queued (a subscription removed this very
        // moment, a value the table refuses) is rolled back alone and said loudly, never holding up the journal
        Savepoint before = c.setSavepoint();
        try {
            queue(c, batch, subs);
        } catch (SQLException e) {
            c.rollback(before);
            LOG.error("webhook deliveries of {} journal event(s) could not be queued: {}", batch.size(), e.toString());
        }
    }

    private static void queue(Connection c, List<JournalEvent> batch, List<Subscription> subs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries (subscription_id, event_id,"
                + " event_type, order_key, occurred_at, payload, status, attempts, next_attempt_at) values"
                + " (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?) on conflict do nothing")) {
            int n = 0;
            Instant now = Instant.now();
            for (JournalEvent e : batch) {
                String payload = null;
                for (Subscription s : subs) {
                    if (!s.matches(e)) {
                        continue;
                    }
                    payload = payload == null ? EventJson.of(e) : payload;
                    ps.setString(1, s.id());
                    ps.setString(2, e.id().length() <= 40 ? e.id() : e.id().substring(0, 40));
                    ps.setString(3, e.type().wire());
                    ps.setString(4, EventJson.orderKey(e));
                    ps.setTimestamp(5, Timestamp.from(e.at()));
                    ps.setString(6, payload.length() <= 8000 ? payload : payload.substring(0, 8000));
                    ps.setTimestamp(7, Timestamp.from(e.at().isBefore(now) ? e.at() : now));
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Takes up to {@code limit} due deliveries for {@code owner} until {@code leaseUntil}: pending, due, not held
     * by a live lease, and the oldest pending one of their call for their subscription. Oldest first.
     */
    public List<Delivery> claim(String owner, Instant now, Instant leaseUntil, int limit) throws SQLException {
        List<Delivery> candidates = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from webhook_deliveries d"
                    + " where d.status = 'PENDING' and d.next_attempt_at <= ?"
                    + " and (d.lease_until is null or d.lease_until < ?)"
                    + " and not exists (select 1 from webhook_deliveries e where e.subscription_id = d.subscription_id"
                    + " and e.order_key = d.order_key and e.status = 'PENDING' and e.id < d.id)"
                    + " order by d.id fetch first " + Math.max(1, limit) + " rows only")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(delivery(rs));
                    }
                }
            }
            List<Delivery> mine = new ArrayList<>();
            try (PreparedStatement up = c.prepareStatement("update webhook_deliveries set lease_owner = ?, lease_until = ?"
                    + " where id = ? and status = 'PENDING' and (lease_until is null or lease_until < ?)")) {
                for (Delivery d : candidates) {
                    up.setString(1, owner);
                    up.setTimestamp(2, Timestamp.from(leaseUntil));
                    up.setLong(3, d.id());
                    up.setTimestamp(4, Timestamp.from(now));
                    if (up.executeUpdate() == 1) {
                        mine.add(d);
                    }
                }
            }
            return mine;
        }
    }

    /** The receiver took it. False when this server no longer held the lease (another server took over). */
    public boolean delivered(long id, String owner, Instant now, int status) throws SQLException {
        return finish(id, owner, DELIVERED, now, status, null, now);
    }

    /** The attempt failed; try again at {@code next}. */
    public boolean retry(long id, String owner, Instant next, Integer status, String error) throws SQLException {
        return finish(id, owner, PENDING, next, status, error, null);
    }

    /** The attempt failed and was the last: the delivery goes to the dead-letter list. */
    public boolean dead(long id, String owner, Instant now, Integer status, String error) throws SQLException {
        return finish(id, owner, DEAD, now, status, error, now);
    }

    private boolean finish(long id, String owner, String status, Instant next, Integer httpStatus, String error,
                           Instant finished) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_deliveries set status = ?, attempts = attempts + 1,"
                     + " next_attempt_at = ?, last_status = ?, last_error = ?, finished_at = ?, lease_owner = null,"
                     + " lease_until = null where id = ? and lease_owner = ? and status = 'PENDING'")) {
            ps.setString(1, status);
            ps.setTimestamp(2, Timestamp.from(next));
            if (httpStatus == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, httpStatus);
            }
            ps.setString(4, error == null ? null : error.length() <= 500 ? error : error.substring(0, 500));
            ps.setTimestamp(5, finished == null ? null : Timestamp.from(finished));
            ps.setLong(6, id);
            ps.setString(7, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** The dead-letter list of a subscription, oldest first. */
    public List<Delivery> deadLetters(String subscriptionId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from webhook_deliveries d"
                     + " where d.subscription_id = ? and d.status = 'DEAD' order by d.id fetch first "
                     + Math.max(1, limit) + " rows only")) {
            ps.setString(1, subscriptionId);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(delivery(rs));
                }
            }
            return out;
        }
    }

    /** Puts dead letters back in the queue (all of the subscription's, or those ids), due now; how many. */
    public int replay(String subscriptionId, List<Long> ids, Instant now) throws SQLException {
        String sql = "update webhook_deliveries set status = 'PENDING', attempts = 0, next_attempt_at = ?,"
                + " lease_owner = null, lease_until = null, finished_at = null where subscription_id = ? and status = 'DEAD'";
        try (Connection c = dataSource.getConnection()) {
            if (ids == null) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, subscriptionId);
                    return ps.executeUpdate();
                }
            }
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql + " and id = ?")) {
                for (Long id : ids) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, subscriptionId);
                    ps.setLong(3, id);
                    n += ps.executeUpdate();
                }
            }
            return n;
        }
    }

    /** Pending and dead deliveries per subscription. */
    public Map<String, Counts> counts() throws SQLException {
        Map<String, long[]> raw = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select subscription_id, status, count(*) from webhook_deliveries"
                     + " where status <> 'DELIVERED' group by subscription_id, status")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] v = raw.computeIfAbsent(rs.getString(1), k -> new long[2]);
                    v[PENDING.equals(rs.getString(2)) ? 0 : 1] = rs.getLong(3);
                }
            }
        }
        Map<String, Counts> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, new Counts(v[0], v[1])));
        return out;
    }

    /** Deletes deliveries delivered before {@code before}; how many. */
    public int purgeDelivered(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from webhook_deliveries where status = 'DELIVERED'"
                     + " and finished_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        }
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        int status = rs.getInt(8);
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7), rs.wasNull() ? null : status,
                rs.getString(9));
    }
}
