package dev.ivr.server.callback;

import java.time.Instant;

/**
 * A callback as the database keeps it.
 *
 * @param state   SCHEDULED, WAITING, DIALING, CONNECTED, DONE, FAILED or CANCELLED
 * @param request the route request it was booked from, as JSON (opaque here)
 * @param pbx     the PBX of the call that booked it (a PBX id or the call's FastAGI address), or null
 * @param version the version of the cluster's entry it was written from: a save never replaces a row of a higher
 *                version (0: of no entry in particular, as the shorter constructors give)
 */
public record StoredCallback(String id, String callId, String number, String queue, String state, Instant dueAt,
                             Instant requestedAt, Instant enqueuedAt, int attempts, String owner, String reason,
                             String request, Instant updatedAt, String pbx, long version) {

    /** A callback of no version in particular. */
    public StoredCallback(String id, String callId, String number, String queue, String state, Instant dueAt,
                          Instant requestedAt, Instant enqueuedAt, int attempts, String owner, String reason,
                          String request, Instant updatedAt, String pbx) {
        this(id, callId, number, queue, state, dueAt, requestedAt, enqueuedAt, attempts, owner, reason, request, updatedAt,
                pbx, 0);
    }

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
