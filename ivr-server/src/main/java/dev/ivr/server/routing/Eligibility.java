package dev.ivr.server.routing;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether any logged-in agent could ever take a call: its requirements at every relaxation
 * stage it can reach within its maximum wait, as the routing library's matcher applies them
 * (the queue's skills merged with the call's, steps cumulative, level 0 drops a skill, added
 * queues' agents accepted on those queues' own skills; the call's language). A caller nobody
 * could serve is not kept waiting.
 */
final class Eligibility {
    private Eligibility() {
    }

    static boolean anyoneCouldServe(CallRequest call, QueueDefinition queue, Map<String, QueueDefinition> queues,
                                    Duration maxWait, Collection<Agent> agents) {
        List<List<Map<String, Integer>>> stages = stages(call, queue, queues, maxWait);
        for (Agent agent : agents) {
            if (agent.state() == AgentState.LOGGED_OUT) {
                continue;
            }
            if (call.language() != null && !agent.languages().contains(call.language())) {
                continue;
            }
            for (List<Map<String, Integer>> alternatives : stages) {
                for (Map<String, Integer> requirement : alternatives) {
                    if (meets(agent, requirement)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Each reachable stage's alternative requirements (an agent must meet one of them). */
    static List<List<Map<String, Integer>>> stages(CallRequest call, QueueDefinition queue,
                                                   Map<String, QueueDefinition> queues, Duration maxWait) {
        List<List<Map<String, Integer>>> stages = new ArrayList<>();
        Map<String, Integer> primary = merge(queue.requiredSkills(), call.requiredSkills());
        stages.add(List.of(Map.copyOf(primary)));
        Duration limit = maxWait;
        if (queue.maxWait() != null && (limit == null || queue.maxWait().compareTo(limit) < 0)) {
            limit = queue.maxWait();
        }
        List<Map<String, Integer>> others = new ArrayList<>();
        for (RelaxationStep step : queue.relaxation()) {
            if (limit != null && step.after().compareTo(limit) >= 0) {
                break; // the call leaves before this step applies
            }
            step.skillLevels().forEach((skill, level) -> {
                if (level == 0) {
                    primary.remove(skill);
                } else {
                    primary.put(skill, level);
                }
            });
            for (String other : step.addQueues()) {
                QueueDefinition o = queues.get(other);
                if (o != null) {
                    others.add(o.requiredSkills());
                }
            }
            List<Map<String, Integer>> alternatives = new ArrayList<>();
            alternatives.add(Map.copyOf(primary));
            alternatives.addAll(others);
            stages.add(List.copyOf(alternatives));
        }
        return stages;
    }

    private static Map<String, Integer> merge(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> out = new HashMap<>(a);
        b.forEach((skill, level) -> out.merge(skill, level, Math::max));
        return out;
    }

    private static boolean meets(Agent agent, Map<String, Integer> requirement) {
        for (Map.Entry<String, Integer> e : requirement.entrySet()) {
            if (agent.level(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
