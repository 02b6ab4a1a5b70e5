package dev.ivr.server.outbound;

import dev.ivr.routing.Agent;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RoutingService;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The campaign's agents from the routing service: every agent (this member's replica of the
 * cluster's agents map) whose skills meet the queue's required levels and the campaign's, counted
 * ready (READY) or busy (RESERVED, ON_CALL, WRAP_UP); not-ready and logged-out agents do not count.
 */
public final class RoutingAgentSupply implements AgentSupply {
    private final Supplier<RoutingService> routing;

    /** {@code routing} may answer null while routing is not started (or off). */
    public RoutingAgentSupply(Supplier<RoutingService> routing) {
        this.routing = routing;
    }

    @Override
    public Agents agents(String queue, Map<String, Integer> skills) {
        RoutingService r = routing.get();
        if (r == null) {
            throw new IllegalStateException("routing is not running (routing.enabled): no agents to dial for");
        }
        QueueStatus status = null;
        for (QueueStatus q : r.queues()) {
            if (q.queueId().equals(queue)) {
                status = q;
            }
        }
        if (status == null) {
            throw new IllegalStateException("routing has no queue '" + queue + "' (routing.queues)");
        }
        Map<String, Integer> need = new HashMap<>(status.definition().requiredSkills());
        skills.forEach((skill, level) -> need.merge(skill, level, Math::max));
        int ready = 0;
        int busy = 0;
        Set<String> calls = new HashSet<>();
        for (Agent a : r.agents()) {
            if (!meets(a, need)) {
                continue;
            }
            switch (a.state()) {
                case READY -> ready++;
                case RESERVED, ON_CALL, WRAP_UP -> {
                    busy++;
                    if (a.callId() != null) {
                        calls.add(a.callId());
                    }
                }
                default -> {
                    // not ready or logged out: not an agent of the campaign now
                }
            }
        }
        return new Agents(ready, busy, calls);
    }

    private static boolean meets(Agent a, Map<String, Integer> need) {
        for (Map.Entry<String, Integer> e : need.entrySet()) {
            if (a.level(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
