package dev.ivr.server.outbound;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Campaign state in the database, shared by every server: whether a campaign runs, its
 * contacts, and its attempts. A contact is claimed for an attempt by one conditional update
 * (pending, with the attempt count the server saw); the attempt row is unique per customer and
 * attempt number, so an attempt is dialled once whichever server claims it.
 */
public final class CampaignStore {
    private final DataSource dataSource;

    public CampaignStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** A contact due for its next attempt. */
    public record Due(String customerId, String phone, int attempts) {
    }

    /** An attempt claimed by this server. */
    public record Claimed(long attemptId, String customerId, String phone, int attemptNo, int base) {
        public Claimed(long attemptId, String customerId, String phone, int attemptNo) {
            this(attemptId, customerId, phone, attemptNo, 0);
        }

        /** Attempts made since the contact was (last) armed: what max-attempts counts. */
        public int made() {
            return attemptNo - base;
        }
    }

    /**
     * An attempt as the records keep it, with the flow's outcome when the call reached it, and the
     * answering machine detection's result ({@code amd}: HUMAN, MACHINE, NOTSURE, HANGUP; null when
     * the flow did not start) and cause.
     */
    public record Attempt(String customerId, int attemptNo, String phone, String node, Instant startedAt, Instant endedAt,
                          String result, String callId, String flowOutcome, String amd, String amdCause) {
    }

    /**
     * Starts (or restarts) a campaign with these customers: customer id → phone (E.164, null
     * when the customer has none). Customers already in the campaign keep their state.
     *
     * @return how many contacts were added
     */
    public int start(String campaign, String segment, Map<String, String> contacts, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                setStatus(c, campaign, "running", segment, now);
                int added = addContacts(c, campaign, contacts, now);
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Adds these customers (customer id → phone, E.164, null when the customer has none) to a campaign as pending
     * contacts, in the caller's transaction; customers already in the campaign keep their state.
     *
     * @return how many contacts were added
     */
    static int addContacts(Connection c, String campaign, Map<String, String> contacts, Instant now) throws SQLException {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select customer_id from campaign_contacts where campaign = ?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        int added = 0;
        try (PreparedStatement ins = c.prepareStatement("insert into campaign_contacts (campaign, customer_id, phone,"
                + " state, attempts, next_at) values (?, ?, ?, ?, 0, ?)")) {
            for (Map.Entry<String, String> e : contacts.entrySet()) {
                if (present.contains(e.getKey())) {
                    continue;
                }
                ins.setString(1, campaign);
                ins.setString(2, e.getKey());
                ins.setString(3, e.getValue());
                ins.setString(4, e.getValue() == null ? "no-number" : "pending");
                ins.setObject(5, now.atOffset(ZoneOffset.UTC));
                ins.addBatch();
                if (++added % 1000 == 0) {
                    ins.executeBatch();
                }
            }
            ins.executeBatch();
        }
        return added;
    }

    public void setStatus(String campaign, String status, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            setStatus(c, campaign, status, null, now);
        }
    }

    private static void setStatus(Connection c, String campaign, String status, String segment, Instant now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("update campaign_runs set status = ?, updated_at = ?,"
                + " segment = coalesce(?, segment) where campaign = ?")) {
            up.setString(1, status);
            up.setObject(2, now.atOffset(ZoneOffset.UTC));
            up.setString(3, segment);
            up.setString(4, campaign);
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("insert into campaign_runs (campaign, status, segment, started_at,"
                + " updated_at) values (?, ?, ?, ?, ?)")) {
            ins.setString(1, campaign);
            ins.setString(2, status);
            ins.setString(3, segment);
            ins.setObject(4, now.atOffset(ZoneOffset.UTC));
            ins.setObject(5, now.atOffset(ZoneOffset.UTC));
            ins.executeUpdate();
        }
    }

    public Optional<String> status(String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select status from campaign_runs where campaign = ?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Attempts of the campaign still under way (on any server). */
    public int inFlight(String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaign_attempts where campaign = ? and ended_at is null")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Attempts of the campaign placed and not answered or ended yet (on any server). */
    public int ringing(String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaign_attempts where campaign = ?"
                     + " and ended_at is null and result is null")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** An answered attempt (answered or abandoned): when it was placed and whether it was abandoned. */
    public record Answer(Instant at, boolean abandoned) {
    }

    /** The campaign's answered attempts (answered or abandoned) placed since {@code since}, by every server, oldest first. */
    public List<Answer> answersSince(String campaign, Instant since) throws SQLException {
        List<Answer> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select started_at, result from campaign_attempts where campaign = ?"
                     + " and started_at >= ? and result in ('answered', 'abandoned') order by started_at")) {
            ps.setString(1, campaign);
            ps.setObject(2, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Answer(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                            "abandoned".equals(rs.getString(2))));
                }
            }
        }
        return out;
    }

    /** Contacts due now, oldest first, leaving out customers another attempt is calling now. */
    public List<Due> due(String campaign, Instant now, int limit) throws SQLException {
        List<Due> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             // a customer another campaign is calling now is left out: otherwise the first due contacts, all locked,
             // would fill every round and the rest of the list would never be dialled
             PreparedStatement ps = c.prepareStatement("select customer_id, phone, attempts from campaign_contacts where campaign = ?"
                     + " and state = 'pending' and next_at <= ? and not exists (select 1 from customer_dial_locks l"
                     + " where l.customer_id = campaign_contacts.customer_id and l.held_until >= ?)"
                     + " order by next_at, customer_id limit " + Math.max(1, limit))) {
            ps.setString(1, campaign);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /**
     * Claims a due contact for its next attempt: succeeds for one server only (the contact must
     * still be pending with the attempts seen, and the attempt row is unique), only while the
     * campaign runs and has fewer than {@code maxConcurrent} attempts under way.
     */
    public Optional<Claimed> claim(String campaign, Due due, int maxConcurrent, String node, Instant now) throws SQLException {
        return claim(campaign, due, maxConcurrent, node, () -> now);
    }

    /**
     * As {@link #claim(String, Due, int, String, Instant)}, the attempt's start read from {@code clock} once the
     * campaign's row is locked and the attempts under way are counted: a claim that waited for the lock while another
     * server's attempt ended is not recorded as started before that end.
     */
    public Optional<Claimed> claim(String campaign, Due due, int maxConcurrent, String node,
                                   java.util.function.Supplier<Instant> clock) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // the campaign's row, locked: claims of one campaign are taken one at a time across servers,
                // so that max-concurrent holds for the cluster and not per server. Locked by an update, not a
                // select ... for update: on H2 a claim that got the row by the latter now and then counted the
                // attempts without the one the claim before it had just committed (CampaignClaimRaceIT)
                try (PreparedStatement lock = c.prepareStatement(
                        "update campaign_runs set status = status where campaign = ? and status = 'running'")) {
                    lock.setString(1, campaign);
                    if (lock.executeUpdate() != 1) {
                        c.rollback();
                        return Optional.empty();
                    }
                }
                try (PreparedStatement open = c.prepareStatement(
                        "select count(*) from campaign_attempts where campaign = ? and ended_at is null")) {
                    open.setString(1, campaign);
                    try (ResultSet rs = open.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= maxConcurrent) {
                            c.rollback();
                            return Optional.empty();
                        }
                    }
                }
                Instant now = clock.get();
                if (DncList.listed(c, due.phone(), campaign)) { // checked at dial time: recorded, never dialled
                    DialLocks.markDnc(c, campaign, due);
                    c.commit();
                    return Optional.empty();
                }
                try (PreparedStatement up = c.prepareStatement("update campaign_contacts set state = 'dialing',"
                        + " attempts = attempts + 1 where campaign = ? and customer_id = ? and state = 'pending' and attempts = ?")) {
                    up.setString(1, campaign);
                    up.setString(2, due.customerId());
                    up.setInt(3, due.attempts());
                    if (up.executeUpdate() != 1) {
                        c.rollback();
                        return Optional.empty();
                    }
                }
                long id;
                try (PreparedStatement ins = c.prepareStatement("insert into campaign_attempts (campaign, customer_id, attempt_no,"
                        + " phone, node, started_at) values (?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
                    ins.setString(1, campaign);
                    ins.setString(2, due.customerId());
                    ins.setInt(3, due.attempts() + 1);
                    ins.setString(4, due.phone());
                    ins.setString(5, node);
                    ins.setObject(6, now.atOffset(ZoneOffset.UTC));
                    ins.executeUpdate();
                    try (ResultSet keys = ins.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                if (!DialLocks.acquire(c, campaign, due.customerId(), id, node, now)) { // the customer is being called
                    c.rollback();
                    return Optional.empty();
                }
                int base = Arming.base(c, campaign, due.customerId());
                c.commit();
                return Optional.of(new Claimed(id, due.customerId(), due.phone(), due.attempts() + 1, base));
            } catch (SQLException e) {
                c.rollback();
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) { // another server has this attempt
                    return Optional.empty();
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records how the dial ended (answered, busy, no-answer, congestion, failed). */
    public void dialed(long attemptId, String result, String callId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set result = ?, call_id = ? where id = ?")) {
            ps.setString(1, result);
            if (callId == null) {
                ps.setNull(2, Types.VARCHAR);
            } else {
                ps.setString(2, callId);
            }
            ps.setLong(3, attemptId);
            ps.executeUpdate();
        }
    }

    /**
     * Ends an attempt and moves its contact on: done (answered), pending again at {@code retryAt},
     * or failed (no attempts left: {@code retryAt} null).
     */
    public void finish(String campaign, Claimed a, String result, Instant now, Instant retryAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("update campaign_attempts set ended_at = ?,"
                        + " result = coalesce(result, ?) where id = ? and ended_at is null")) {
                    ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                    ps.setString(2, result);
                    ps.setLong(3, a.attemptId());
                    if (ps.executeUpdate() != 1) { // reclaimed meanwhile (OrphanAttempts): its contact has moved on
                        c.rollback();
                        return;
                    }
                }
                DialLocks.release(c, a.customerId(), a.attemptId());
                String state = "answered".equals(result) ? "done" : retryAt == null ? "failed" : "pending";
                try (PreparedStatement ps = c.prepareStatement("update campaign_contacts set state = ?, last_result = ?,"
                        + " next_at = ? where campaign = ? and customer_id = ?")) {
                    ps.setString(1, state);
                    ps.setString(2, result);
                    ps.setObject(3, retryAt == null ? null : retryAt.atOffset(ZoneOffset.UTC));
                    ps.setString(4, campaign);
                    ps.setString(5, a.customerId());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Each customer's first phone number (E.164 order); customers without one are absent. */
    public Map<String, String> firstPhones(List<String> customerIds) throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < customerIds.size(); i += 500) {
                List<String> part = customerIds.subList(i, Math.min(customerIds.size(), i + 500));
                try (PreparedStatement ps = c.prepareStatement("select customer_id, min(e164) from phone_numbers where customer_id in ("
                        + "?, ".repeat(part.size() - 1) + "?) group by customer_id")) {
                    for (int j = 0; j < part.size(); j++) {
                        ps.setString(j + 1, part.get(j));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Records the answering machine detection of an attempt's answered call (the campaign's flow
     * got it from the dialplan): only while the attempt is open, only once, and only from the call
     * the attempt placed ({@code callId}: the attempt's call id once the dial result is in).
     *
     * @return whether an attempt took it
     */
    public boolean recordAmd(String campaign, String customerId, int attemptNo, String callId, String amd, String cause)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set amd = ?, amd_cause = ? where campaign = ?"
                     + " and customer_id = ? and attempt_no = ? and amd is null and ended_at is null"
                     + " and (call_id is null or call_id = ?)")) {
            ps.setString(1, amd);
            ps.setString(2, cause);
            ps.setString(3, campaign);
            ps.setString(4, customerId);
            ps.setInt(5, attemptNo);
            ps.setString(6, callId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The contact history's view of the attempts: the campaign attempt behind each of these calls. */
    public dev.ivr.server.crm.CampaignCalls campaignCalls() {
        return ids -> {
            Map<String, dev.ivr.server.crm.CampaignCalls.Call> out = new java.util.HashMap<>();
            List<String> list = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
            try (Connection c = dataSource.getConnection()) {
                for (int i = 0; i < list.size(); i += 500) {
                    List<String> part = list.subList(i, Math.min(list.size(), i + 500));
                    try (PreparedStatement ps = c.prepareStatement("select call_id, campaign, attempt_no, result, amd, amd_cause"
                            + " from campaign_attempts where call_id in (" + "?, ".repeat(part.size() - 1) + "?)")) {
                        for (int j = 0; j < part.size(); j++) {
                            ps.setString(j + 1, part.get(j));
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.put(rs.getString(1), new dev.ivr.server.crm.CampaignCalls.Call(rs.getString(2), rs.getInt(3),
                                        rs.getString(4), rs.getString(5), rs.getString(6)));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw new dev.ivr.server.crm.CrmUnavailableException("campaign attempts unavailable: " + e.getSQLState(), e);
            }
            return out;
        };
    }

    /** Contacts by state. */
    public Map<String, Integer> contactStates(String campaign) throws SQLException {
        return counts("select state, count(*) from campaign_contacts where campaign = ? group by state order by state", campaign);
    }

    /** Attempts by result (open attempts as "dialing"). */
    public Map<String, Integer> attemptResults(String campaign) throws SQLException {
        return counts("select coalesce(result, 'dialing'), count(*) from campaign_attempts where campaign = ?"
                + " group by coalesce(result, 'dialing') order by 1", campaign);
    }

    /** Every attempt of the campaign, in order, with the flow's outcome from the contact history. */
    public List<Attempt> attempts(String campaign) throws SQLException {
        return attempts(campaign, null, Integer.MAX_VALUE, "a.id");
    }

    /** The campaign's latest attempts (of one customer when {@code customerId} is given), newest first. */
    public List<Attempt> recentAttempts(String campaign, String customerId, int limit) throws SQLException {
        return attempts(campaign, customerId, limit, "a.id desc");
    }

    private List<Attempt> attempts(String campaign, String customerId, int limit, String order) throws SQLException {
        List<Attempt> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select a.customer_id, a.attempt_no, a.phone, a.node, a.started_at,"
                     + " a.ended_at, a.result, a.call_id, i.outcome, a.amd, a.amd_cause from campaign_attempts a left join interactions i"
                     + " on i.call_id = a.call_id where a.campaign = ?" + (customerId == null ? "" : " and a.customer_id = ?")
                     + " order by " + order + (limit == Integer.MAX_VALUE ? "" : " limit " + Math.max(1, limit)))) {
            ps.setString(1, campaign);
            if (customerId != null) {
                ps.setString(2, customerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var s = rs.getObject(5, java.time.OffsetDateTime.class);
                    var e = rs.getObject(6, java.time.OffsetDateTime.class);
                    out.add(new Attempt(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            s == null ? null : s.toInstant(), e == null ? null : e.toInstant(), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        return out;
    }

    private Map<String, Integer> counts(String sql, String campaign) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }
}
