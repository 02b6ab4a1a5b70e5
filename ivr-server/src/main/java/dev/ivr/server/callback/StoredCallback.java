package dev.ivr.server.callback;

import java.time.Instant;

/**
 * A callback as the database keeps it.
 *
 * @param state   SCHEDULED, WAITING, DIALING, CONNECTED, DONE, FAILED or CANCELLED
 * @param request the route request it was booked from, as JSON (opaque here)
 * @param pbx     the PBX of the call that booked it (a PBX id or the call's FastAGI address), or null
 */
public record StoredCallback(String id, String callId, String number, String queue, String state, Instant dueAt,
                             Instant requestedAt, Instant enqueuedAt, int attempts, String owner, String reason,
                             String request, Instant updatedAt, String pbx) {

    /** A callback of no PBX in particular. */
    public StoredCallback(String id, String callId, String number, String queue, String state, Instant dueAt,
                          Instant requestedAt, Instant enqueuedAt, int attempts, String owner, String reason,
                          String request, Instant updatedAt) {
        this(id, callId, number, queue, state, dueAt, requestedAt, enqueuedAt, attempts, owner, reason, request, updatedAt,
                null);
    }

    /** Whether nothing will happen to it any more. */
    public boolean isFinal() {
        return "DONE".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }
}
