package dev.ivr.server.outbound;

import dev.ivr.server.config.EventConfig;

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
 * Events from other systems ({@code POST /api/events}: {@code payment.missed} for customer C1001):
 * each arms the customer in the campaign configured for its type ({@code outbound.events}), at
 * the event's time plus the type's delay. The idempotency key is stored in the same transaction,
 * so an event sent again (a retry after a timeout) does nothing more and is answered as the first.
 */
public final class OutboundEvents {
    private final DataSource dataSource;

    public OutboundEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What came of an event; {@code duplicate} when the key was seen before (then the first event's outcome). */
    public record Outcome(String key, String type, String customerId, String campaign, Instant dueAt, String result,
                          boolean duplicate) {
    }

    /**
     * Handles an event whose customer is known ({@code customerId}).
     */
    public Outcome receive(String key, EventConfig type, String customerId, Instant now) throws SQLException {
        Optional<Outcome> seen = find(key);
        if (seen.isPresent()) {
            return seen.get();
        }
        Instant due = now.plus(type.effectiveDelay()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the database keeps it
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Arming.Result r = Arming.arm(c, type.campaign(), customerId, null, due, now);
                String result = r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                try (PreparedStatement ins = c.prepareStatement("insert into outbound_events (idempotency_key, type, customer_id,"
                        + " campaign, due_at, result, received_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                    ins.setString(1, key);
                    ins.setString(2, type.type());
                    ins.setString(3, customerId);
                    ins.setString(4, type.campaign());
                    ins.setObject(5, due.atOffset(ZoneOffset.UTC));
                    ins.setString(6, result);
                    ins.setObject(7, now.atOffset(ZoneOffset.UTC));
                    ins.executeUpdate();
                }
                c.commit();
                return new Outcome(key, type.type(), customerId, type.campaign(), due, result, false);
            } catch (SQLException e) {
                c.rollback();
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) { // the same key at the same moment elsewhere
                    Optional<Outcome> other = find(key);
                    if (other.isPresent()) {
                        return other.get();
                    }
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** An event already received under this key. */
    public Optional<Outcome> find(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select type, customer_id, campaign, due_at, result from outbound_events"
                     + " where idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime due = rs.getObject(4, OffsetDateTime.class);
                return Optional.of(new Outcome(key, rs.getString(1), rs.getString(2), rs.getString(3),
                        due == null ? null : due.toInstant(), rs.getString(5), true));
            }
        }
    }
}
