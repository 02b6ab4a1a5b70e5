package dev.ivr.server.flow.reminder;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The port through which a flow's {@code remind} node books a reminder: one customer called by a
 * campaign's flow at a given time, as {@code POST /api/reminders} does. The outbound module
 * implements it on the campaign store; the simulator records bookings. Called on the call's thread.
 */
public interface Reminders {

    /** What a server without outbound campaigns has: every booking is refused. */
    Reminders NONE = new Reminders() {
        @Override
        public ZoneId zone(String campaign, String customerId) throws Refused {
            throw new Refused("reminders are not available on this server (no outbound campaigns)");
        }

        @Override
        public String book(String campaign, String customerId, Instant at, Instant now) throws Refused {
            throw new Refused("reminders are not available on this server (no outbound campaigns)");
        }
    };

    /**
     * The time zone a local clock time ({@code at: "10:00"}) is read in for this customer: the
     * customer's, as the campaign's calling rules work it out, else the campaign's (by default the
     * server's).
     */
    ZoneId zone(String campaign, String customerId) throws Refused;

    /**
     * Books the reminder.
     *
     * @return what was done, e.g. {@code armed} or {@code rearmed}
     * @throws Refused an unknown campaign, a customer with no number or being called now, a store failure
     */
    String book(String campaign, String customerId, Instant at, Instant now) throws Refused;

    /** A booking that was not made, and why (safe to log: no customer data beyond the id). */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }

        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
