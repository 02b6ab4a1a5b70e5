package dev.ivr.server.callcontext;

import dev.ivr.server.wire.ClusterValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the agent learns about a call before saying hello: the screen pop. Built when an
 * agent is reserved for the call, stored in the cluster with a time to live, pushed to the
 * agent's desktop and referenced from the agent leg (channel variables, SIP header).
 * Never contains secrets: inputs marked secret are masked before they get here.
 *
 * @param fields      the route node's context fields (templates rendered by the flow)
 * @param ivrPath     the flow nodes the caller went through
 * @param inputs      inputs collected in the IVR, secrets masked
 * @param authResult  OK, FAILED, LOCKED, UNAVAILABLE or null when not authenticated
 * @param intent      why the caller calls, as the flow determined it (e.g. "billing"), or null
 * @param callback    true when the call is a callback the server originates
 */
public record CallContext(String callId, String ani, String flow, String customerId, String customerName,
                          String tier, Map<String, String> attributes, String authResult, String intent,
                          Map<String, String> fields, List<String> ivrPath, Map<String, String> inputs,
                          Duration timeInIvr, Duration timeInQueue, String queue, String agentId,
                          Instant offeredAt, boolean callback) implements ClusterValue {
    public CallContext {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        ivrPath = ivrPath == null ? List.of() : List.copyOf(ivrPath);
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }

    @Override
    public String key() {
        return callId;
    }
}
