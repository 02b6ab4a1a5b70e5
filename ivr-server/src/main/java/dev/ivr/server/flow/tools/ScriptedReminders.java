package dev.ivr.server.flow.tools;

import dev.ivr.server.flow.reminder.Reminders;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The reminders store of the simulator and flow tests: it records what remind nodes book (in
 * {@code zone}, the customers' time zone), or refuses every booking ({@code reminders: failing}).
 */
public final class ScriptedReminders implements Reminders {
    /** One booking: the campaign, the customer's id, the time. */
    public record Booking(String campaign, String customer, Instant at) {
        @Override
        public String toString() {
            return campaign + " " + customer + " " + at;
        }
    }

    private final ZoneId zone;
    private final boolean failing;
    private final List<Booking> bookings = new ArrayList<>();

    public ScriptedReminders(ZoneId zone, boolean failing) {
        this.zone = zone;
        this.failing = failing;
    }

    @Override
    public ZoneId zone(String campaign, String customerId) {
        return zone;
    }

    @Override
    public synchronized String book(String campaign, String customerId, Instant at, Instant now) throws Refused {
        if (failing) {
            throw new Refused("the reminders store is failing (scripted)");
        }
        bookings.add(new Booking(campaign, customerId, at));
        return "simulated: not stored";
    }

    public synchronized List<Booking> bookings() {
        return List.copyOf(bookings);
    }
}
