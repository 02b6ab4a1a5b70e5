package dev.ivr.server.outbound;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Preview attempts in the database, shared by every server: which agent previews an attempt, and the decision. The
 * decision is one conditional update (still undecided, attempt still open, and the agent's own), so an agent's click
 * on any server and the preview timeout on the dialing server cannot both win; the dialing server reads it back.
 */
public final class PreviewStore {
    /** Decisions as the attempt keeps them. */
    public static final String ACCEPTED = "accepted";
    public static final String SKIPPED = "skipped";
    public static final String TIMEOUT_SKIPPED = "timeout-skipped";
    public static final String TIMEOUT_ACCEPTED = "timeout-accepted";
    public static final String AGENT_LEFT = "agent-left";

    private final DataSource dataSource;

    public PreviewStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The preview an agent has on screen now (the attempt still open). */
    public record Current(long attemptId, String campaign, String customerId, String phone, int attemptNo,
                          Instant previewedAt, String decision) {
    }

    /** Whether a decision is an accept. */
    public static boolean accepts(String decision) {
        return ACCEPTED.equals(decision) || TIMEOUT_ACCEPTED.equals(decision);
    }

    /** The attempt is on {@code agentId}'s desktop from now. */
    void previewed(long attemptId, String agentId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set agent_id = ?, previewed_at = ?"
                     + " where id = ? and ended_at is null")) {
            ps.setString(1, agentId);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setLong(3, attemptId);
            ps.executeUpdate();
        }
    }

    /**
     * Decides an open, undecided preview: {@code agentId} non-null decides only that agent's.
     *
     * @return whether this call decided it
     */
    public boolean decide(long attemptId, String agentId, String decision, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set preview_decision = ?, decided_at = ?"
                     + " where id = ? and preview_decision is null and ended_at is null and agent_id is not null"
                     + (agentId == null ? "" : " and agent_id = ?"))) {
            ps.setString(1, decision);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setLong(3, attemptId);
            if (agentId != null) {
                ps.setString(4, agentId);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** The decision on an attempt, empty while undecided. */
    Optional<String> decision(long attemptId) throws SQLException {
        return text("select preview_decision from campaign_attempts where id = ?", attemptId);
    }

    /** The dial result the dialplan reported for the attempt, empty when none yet. */
    Optional<String> result(long attemptId) throws SQLException {
        return text("select result from campaign_attempts where id = ?", attemptId);
    }

    private Optional<String> text(String sql, long attemptId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, attemptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The dialplan's report of how the customer's line answered (once: a report for an attempt that has its result
     * already, or is over, changes nothing).
     *
     * @return whether it was recorded
     */
    public boolean reported(long attemptId, String result) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set result = ? where id = ?"
                     + " and result is null and ended_at is null and preview_decision in ('accepted', 'timeout-accepted')")) {
            ps.setString(1, result);
            ps.setLong(2, attemptId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The call id of the accepted preview's call (its interaction), so that the attempt links to the history. */
    void callId(long attemptId, String callId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_attempts set call_id = ? where id = ?")) {
            ps.setString(1, callId);
            ps.setLong(2, attemptId);
            ps.executeUpdate();
        }
    }

    /** Previews of the campaign queued and not shown to an agent yet (all servers). */
    int waitingForAgent(String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaign_attempts where campaign = ?"
                     + " and ended_at is null and agent_id is null")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The agent's open preview, if any. */
    public Optional<Current> current(String agentId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, campaign, customer_id, phone, attempt_no, previewed_at,"
                     + " preview_decision from campaign_attempts where agent_id = ? and ended_at is null order by id desc")) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime at = rs.getObject(6, OffsetDateTime.class);
                return Optional.of(new Current(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), at == null ? null : at.toInstant(), rs.getString(7)));
            }
        }
    }

    /**
     * A preview no agent was reserved for (nobody saw it): the attempt is taken back as if it had never been
     * claimed, and the contact is pending again now.
     *
     * @return whether it was taken back (false: an agent got it meanwhile)
     */
    boolean giveBack(String campaign, CampaignStore.Claimed a, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("delete from campaign_attempts where id = ? and agent_id is null"
                        + " and ended_at is null")) {
                    del.setLong(1, a.attemptId());
                    if (del.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                DialLocks.release(c, a.customerId(), a.attemptId());
                try (PreparedStatement up = c.prepareStatement("update campaign_contacts set state = 'pending',"
                        + " attempts = attempts - 1, next_at = ? where campaign = ? and customer_id = ? and state = 'dialing'")) {
                    up.setObject(1, now.atOffset(ZoneOffset.UTC));
                    up.setString(2, campaign);
                    up.setString(3, a.customerId());
                    up.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
