package dev.ivr.server.callcontext;

import dev.ivr.server.wire.ClusterValue;

import java.time.Instant;
import java.util.Locale;

/**
 * An agent's request to hand their connected call on (a blind transfer), kept in the cluster
 * until the server that runs the call picks it up when the agent's leg ends.
 *
 * @param kind      where to: a queue, a named agent (offered the call through the call's queue), or an outside number
 * @param target    the queue id, the agent id, or the number
 * @param note      why, for the next agent (plain text), or null
 * @param fromAgent the agent who transferred
 * @param fromQueue the queue the call was in
 */
public record Transfer(String callId, Kind kind, String target, String note, String fromAgent, String fromQueue,
                       Instant at) implements ClusterValue {
    public enum Kind {
        QUEUE, AGENT, NUMBER;

        /** queue, agent or number (any case); null for anything else. */
        public static Kind parse(String s) {
            try {
                return s == null ? null : valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The context fields the next agent's screen pop shows (the route node's fields, plus these). */
    public static final String FIELD_BY = "transferred-by";
    public static final String FIELD_NOTE = "transfer-note";
    public static final String FIELD_FROM_QUEUE = "transferred-from-queue";

    @Override
    public String key() {
        return callId;
    }
}
