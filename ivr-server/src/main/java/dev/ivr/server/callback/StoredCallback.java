package dev.ivr.server.callback;

import java.time.Instant;

/**
 * A callback as the database keeps it.
 *
 * @param state   SCHEDULED, WAITING, DIALING, CONNECTED, DONE, FAILED or CANCELLED
 * @param request the route request it was booked from, as JSON (opaque here)
 */
public record StoredCallback(String id, String callId, String number, String queue, String state, Instant dueAt,
                             Instant requestedAt, Instant enqueuedAt, int attempts, String owner, String reason,
                             String request, Instant updatedAt) {

    /** Whether nothing will happen to it any more. */
    public boolean isFinal() {
        return "DONE".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }
}
