package dev.ivr.server.routing;

import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import dev.ivr.routing.ServiceLevelTarget;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.RoutingConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code routing.queues} as the routing library's queue definitions. */
final class Queues {
    private Queues() {
    }

    static Map<String, QueueDefinition> definitions(RoutingConfig config) {
        Map<String, QueueDefinition> out = new LinkedHashMap<>();
        for (QueueConfig q : config.queues()) {
            out.put(q.id(), definition(q));
        }
        return out;
    }

    static QueueDefinition definition(QueueConfig q) {
        QueueDefinition.Builder b = QueueDefinition.builder(q.id()).name(q.name());
        q.skills().forEach(b::requireSkill);
        if (q.priority() != null) {
            b.priority(q.priority());
        }
        if (q.priorityAging() != null) {
            b.priorityAging(q.priorityAging());
        }
        b.serviceLevel(new ServiceLevelTarget(q.serviceLevel() == null ? ServiceLevelTarget.DEFAULT.fraction() : q.serviceLevel(),
                q.serviceLevelTime() == null ? ServiceLevelTarget.DEFAULT.threshold() : q.serviceLevelTime(),
                ServiceLevelTarget.DEFAULT.window()));
        for (QueueConfig.RelaxConfig r : q.relaxation()) {
            RelaxationStep step = RelaxationStep.after(r.after());
            for (Map.Entry<String, Integer> e : r.skills().entrySet()) {
                step = step.skillLevel(e.getKey(), e.getValue());
            }
            for (String other : r.addQueues()) {
                step = step.addQueue(other);
            }
            b.relax(step);
        }
        if (q.maxWait() != null) {
            b.maxWait(q.maxWait(), q.maxWaitTarget() == null || q.maxWaitTarget().isBlank() ? "timeout" : q.maxWaitTarget());
        }
        b.ringTime(q.effectiveRingTime());
        b.wrapUp(q.wrapUp() == null ? Duration.ZERO : q.wrapUp());
        b.preferredAgentWait(q.preferredAgentWait() == null ? Duration.ZERO : q.preferredAgentWait());
        if (q.defaultHandleTime() != null) {
            b.defaultHandleTime(q.defaultHandleTime());
        }
        return b.build();
    }
}
