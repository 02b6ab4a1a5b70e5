package dev.ivr.server.journal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thing that happened to a call, a queue or an agent, as the journal keeps it (table
 * {@code journal_events}) and as webhooks and the event stream send it. Written once: {@link #id}
 * is unique, and a replay of the same event is ignored.
 *
 * @param id         unique id of the event (a UUID made where it is handed to the journal: version 7, in the order it
 *                   was made, see {@link #newId}; made once, before the event reaches the outbox, so a replay reuses it)
 * @param at         when it happened
 * @param type       what happened
 * @param callId     the call (null for agent events without a call)
 * @param flow       the flow the call is in (call events from the IVR)
 * @param node       the flow node (node events; the last node at the end of a call)
 * @param queue      the queue (queue events)
 * @param agent      the agent (offers, answers, agent events)
 * @param durationMs a duration in milliseconds: the wait of an answered or abandoned call, the length of an ended call,
 *                   the hold of an unheld call
 * @param detail     a short value: the outcome of an ended call, an identify or authenticate status, an agent's new state
 * @param reason     why: an agent's reason code, why an offer failed or a call was abandoned
 * @param server     the server that wrote it
 * @param customer   the caller's customer id in the CRM, when known (on {@link Type#CALL_ENDED}: the customer the
 *                   call was identified or authenticated as); null otherwise
 */
public record JournalEvent(String id, Instant at, Type type, String callId, String flow, String node, String queue,
                           String agent, Long durationMs, String detail, String reason, String server,
                           String customer) {

    /** An event without a customer. */
    public JournalEvent(String id, Instant at, Type type, String callId, String flow, String node, String queue,
                        String agent, Long durationMs, String detail, String reason, String server) {
        this(id, at, type, callId, flow, node, queue, agent, durationMs, detail, reason, server, null);
    }

    /** What happened. */
    public enum Type {
        /** a call entered a flow (the IVR) */
        CALL_ENTERED,
        /** the call entered a flow node */
        CALL_NODE,
        /** the caller was looked up by number ({@code detail}: IDENTIFIED, UNKNOWN, AMBIGUOUS, WITHHELD, UNAVAILABLE) */
        CALL_IDENTIFIED,
        /** the caller gave account and PIN ({@code detail}: OK, FAILED, LOCKED, UNAVAILABLE) */
        CALL_AUTHENTICATED,
        /** the call joined a queue */
        CALL_QUEUED,
        /** the call was offered to an agent (the phone rings) */
        CALL_OFFERED,
        /** the offer failed: not answered, busy, expired ({@code reason}); the call is back at the head of its queue */
        CALL_RING_NO_ANSWER,
        /** an agent answered ({@code durationMs}: the wait in queue) */
        CALL_ANSWERED,
        /** the caller hung up while queued ({@code durationMs}: the wait in queue) */
        CALL_ABANDONED,
        /** the call waited the queue's maximum and went on to its overflow target ({@code detail}) */
        CALL_MAX_WAIT,
        /** the flow transferred the call ({@code detail}: the destination) */
        CALL_TRANSFERRED,
        /** the call left the IVR ({@code detail}: the outcome; {@code durationMs}: the length in the IVR and queue) */
        CALL_ENDED,
        /** the caller chose a callback and hung up, keeping the place in the queue */
        CALLBACK_REQUESTED,
        /** a callback was placed ({@code detail}: ROUTED when an agent talked to the customer) */
        CALLBACK_DIALED,
        /** an agent signed in (to NOT_READY) */
        AGENT_SIGNED_IN,
        /** an agent signed out */
        AGENT_SIGNED_OUT,
        /** an agent's state changed ({@code detail}: the new state, {@code reason}: the reason code) */
        AGENT_STATE,
        /** an agent went into after-call work ({@code callId}: the call) */
        AGENT_WRAP_UP,
        /**
         * the agent put the call on hold ({@code agent}, {@code callId}, {@code queue}: the agent's call; from the PBX's
         * {@code Hold} event on the agent's channel)
         */
        CALL_HOLD,
        /**
         * the call came off hold ({@code durationMs}: how long it was held; {@code reason}: {@code call-ended} when the
         * talk ended with the call still on hold)
         */
        CALL_UNHOLD,
        /**
         * the caller answered the post-call survey's satisfaction question ({@code detail}: the score 1-5; {@code queue}
         * and {@code agent}: the call's last queue and agent)
         */
        CALL_SURVEYED;

        /** The name in webhooks, the event stream and filters: {@code call.queued}, {@code agent.signed-in}. */
        public String wire() {
            String n = name().toLowerCase(Locale.ROOT);
            int u = n.indexOf('_');
            return n.substring(0, u) + "." + n.substring(u + 1).replace('_', '-');
        }

        /** The type of a wire name, or null. */
        public static Type fromWire(String wire) {
            for (Type t : values()) {
                if (t.wire().equals(wire)) {
                    return t;
                }
            }
            return null;
        }

        /** Whether the event is about an agent rather than a call. */
        public boolean agentEvent() {
            return name().startsWith("AGENT_");
        }
    }

    /** A new event with a fresh id. */
    public static JournalEvent of(Instant at, Type type, String callId, String flow, String node, String queue,
                                  String agent, Long durationMs, String detail, String reason, String server) {
        return new JournalEvent(newId(), at, type, callId, flow, node, queue, agent, durationMs, detail, reason, server);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last id's millisecond (high 48 bits) and counter (low 16 bits): see {@link #newId}. */
    private static final AtomicLong LAST = new AtomicLong();

    /**
     * A fresh event id: a UUID of version 7 (RFC 9562), the milliseconds since the epoch it was made in its first 48
     * bits, then a 16-bit counter (the 12 bits after the version and the 4 after the variant: RFC 9562's "fixed
     * bit-length dedicated counter", started at a random value in each millisecond) and 58 random bits, in the usual
     * text form. Unique as a random UUID is, and on one server in the order the ids were made, also within a
     * millisecond: each batch of the journal adds its ids at the end of the event id's unique index (a few pages
     * changed per commit) instead of all over it (a page per event: what H2 writes to disk at each commit). A held
     * node event gets its id when it is kept ({@code journal.sources.JournalObserver}), so ids follow the order the
     * events are written, not the order they happened ({@link #at}). Should one millisecond need more than 32,768
     * ids, the next ones take the next millisecond. The JDK (25) makes random and name-based UUIDs only.
     */
    static String newId() {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long start = (System.currentTimeMillis() << 16) | ((r[0] & 0x7fL) << 8) | (r[1] & 0xffL);
        long v = LAST.accumulateAndGet(start, (last, fresh) -> Math.max(last + 1, fresh));
        long high = ((v >>> 16) << 16) | 0x7000L | ((v >>> 4) & 0x0fffL);
        long low = 0x8000_0000_0000_0000L | ((v & 0x0fL) << 58) | ((r[2] & 0x03L) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (r[i] & 0xffL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }

    /** The same event with the caller's customer id. */
    public JournalEvent withCustomer(String customerId) {
        return new JournalEvent(id, at, type, callId, flow, node, queue, agent, durationMs, detail, reason, server,
                customerId);
    }

    /** The day (UTC) the event belongs to: how the table is indexed. */
    public java.time.LocalDate day() {
        return at.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }
}
