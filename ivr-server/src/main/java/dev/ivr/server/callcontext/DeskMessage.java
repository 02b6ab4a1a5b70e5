package dev.ivr.server.callcontext;

import dev.ivr.server.wire.ClusterValue;

/**
 * One message for an agent's desktop, published on the cluster topic {@value TopicScreenPops#TOPIC}:
 * every server receives it and hands it to the desktop sessions it holds for that agent.
 *
 * @param context the screen pop (for OFFERED), else null
 * @param reason  why the call ended for the agent (for ENDED): answered-elsewhere, no-answer,
 *                busy, caller-hangup, completed ...; else null
 * @param seq     the message's number among the agent's desk messages ({@link DeskLog}); 0 when it has none
 */
public record DeskMessage(Kind kind, String agentId, String callId, CallContext context, String reason, long seq)
        implements ClusterValue {
    public enum Kind { OFFERED, CONNECTED, ENDED }

    /** A message not numbered yet. */
    public DeskMessage(Kind kind, String agentId, String callId, CallContext context, String reason) {
        this(kind, agentId, callId, context, reason, 0);
    }

    DeskMessage withSeq(long n) {
        return new DeskMessage(kind, agentId, callId, context, reason, n);
    }
}
