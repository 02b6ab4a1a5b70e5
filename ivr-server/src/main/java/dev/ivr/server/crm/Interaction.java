package dev.ivr.server.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One call's contact record: what the next agent and the reports know of it.
 *
 * @param callId      Asterisk's unique id of the call
 * @param path        the flow nodes the call went through, in order
 * @param inputs      inputs collected by name; secret ones (PINs) are masked before they get here
 * @param authOutcome OK, FAILED, LOCKED, UNAVAILABLE or null when the flow did not authenticate
 * @param node        the server that handled the call
 */
public record Interaction(String callId, String ani, String dnis, String flow, String flowVersion,
                          Instant start, Instant end, List<String> path, Map<String, String> inputs,
                          String customerId, String authOutcome, String queue, String agentId,
                          Duration waitTime, Duration talkTime, Outcome outcome, String node) {
    public enum Outcome {
        SELF_SERVED, ROUTED, ABANDONED_IN_IVR, ABANDONED_IN_QUEUE, TRANSFERRED, VOICEMAIL, FAILED,
        /** the caller chose to be called back and hung up, keeping the place in the queue (the callback has its own record) */
        CALLBACK_REQUESTED
    }

    public Interaction {
        path = path == null ? List.of() : List.copyOf(path);
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }
}
