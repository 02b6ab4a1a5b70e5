package dev.ivr.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A queue, as read from configuration. Immutable; build one with {@link #builder(String)}.
 *
 * @param id                  queue id used by calls
 * @param name                display name
 * @param requiredSkills      minimum level per skill an agent needs (merged with each call's own requirements)
 * @param priority            added to the priority of every call of this queue
 * @param priorityAgingStep   every full step of waiting adds 1 to a call's priority; null for none
 * @param serviceLevel        service-level target
 * @param relaxation          requirement changes over waiting time, sorted by time
 * @param maxWait             longest time a call waits before it is sent to {@link #maxWaitTarget()}; null for no limit
 * @param maxWaitTarget       where the server sends a call after {@link #maxWait()} (opaque to the router,
 *                            for example {@code voicemail} or another queue id)
 * @param ringTime            how long the server lets an offered agent ring before reporting "not answered"
 * @param wrapUp              after-call work time, after which the agent is ready again (zero for none)
 * @param preferredAgentWait  how long a call with a preferred agent is kept for that agent (zero disables)
 * @param defaultHandleTime   handle time assumed for wait-time estimates until calls have been measured
 */
public record QueueDefinition(String id, String name, Map<String, Integer> requiredSkills, int priority,
                              Duration priorityAgingStep, ServiceLevelTarget serviceLevel,
                              List<RelaxationStep> relaxation, Duration maxWait, String maxWaitTarget,
                              Duration ringTime, Duration wrapUp, Duration preferredAgentWait,
                              Duration defaultHandleTime) {

    public QueueDefinition {
        Skills.require(id, "queue id");
        name = name == null || name.isBlank() ? id : name;
        requiredSkills = Skills.levels(requiredSkills, false, "queue " + id);
        if (priorityAgingStep != null && (priorityAgingStep.isNegative() || priorityAgingStep.isZero())) {
            priorityAgingStep = null;
        }
        serviceLevel = serviceLevel == null ? ServiceLevelTarget.DEFAULT : serviceLevel;
        List<RelaxationStep> steps = new ArrayList<>(relaxation == null ? List.of() : relaxation);
        steps.sort(Comparator.comparing(RelaxationStep::after));
        relaxation = List.copyOf(steps);
        if (maxWait != null && (maxWait.isNegative() || maxWait.isZero())) {
            throw new IllegalArgumentException("queue " + id + ": maxWait must be positive");
        }
        ringTime = positiveOr(ringTime, Duration.ofSeconds(20), "ringTime", id);
        wrapUp = wrapUp == null ? Duration.ZERO : wrapUp;
        preferredAgentWait = preferredAgentWait == null ? Duration.ZERO : preferredAgentWait;
        defaultHandleTime = positiveOr(defaultHandleTime, Duration.ofMinutes(3), "defaultHandleTime", id);
        if (wrapUp.isNegative() || preferredAgentWait.isNegative()) {
            throw new IllegalArgumentException("queue " + id + ": durations must not be negative");
        }
    }

    private static Duration positiveOr(Duration value, Duration fallback, String what, String id) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("queue " + id + ": " + what + " must be positive");
        }
        return value;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder starting from this definition. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.name = name;
        b.requiredSkills.putAll(requiredSkills);
        b.priority = priority;
        b.priorityAgingStep = priorityAgingStep;
        b.serviceLevel = serviceLevel;
        b.relaxation.addAll(relaxation);
        b.maxWait = maxWait;
        b.maxWaitTarget = maxWaitTarget;
        b.ringTime = ringTime;
        b.wrapUp = wrapUp;
        b.preferredAgentWait = preferredAgentWait;
        b.defaultHandleTime = defaultHandleTime;
        return b;
    }

    /** Builds a {@link QueueDefinition}; every setting is optional except the id. */
    public static final class Builder {
        private final String id;
        private String name;
        private final Map<String, Integer> requiredSkills = new LinkedHashMap<>();
        private int priority;
        private Duration priorityAgingStep;
        private ServiceLevelTarget serviceLevel;
        private final List<RelaxationStep> relaxation = new ArrayList<>();
        private Duration maxWait;
        private String maxWaitTarget;
        private Duration ringTime;
        private Duration wrapUp;
        private Duration preferredAgentWait;
        private Duration defaultHandleTime;

        private Builder(String id) {
            this.id = id;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder requireSkill(String skill, int minLevel) {
            requiredSkills.put(skill, minLevel);
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder priorityAging(Duration step) {
            this.priorityAgingStep = step;
            return this;
        }

        public Builder serviceLevel(double fraction, Duration threshold) {
            return serviceLevel(new ServiceLevelTarget(fraction, threshold, ServiceLevelTarget.DEFAULT.window()));
        }

        public Builder serviceLevel(ServiceLevelTarget target) {
            this.serviceLevel = target;
            return this;
        }

        public Builder relax(RelaxationStep step) {
            relaxation.add(Objects.requireNonNull(step));
            return this;
        }

        public Builder maxWait(Duration maxWait, String target) {
            this.maxWait = maxWait;
            this.maxWaitTarget = target;
            return this;
        }

        public Builder ringTime(Duration ringTime) {
            this.ringTime = ringTime;
            return this;
        }

        public Builder wrapUp(Duration wrapUp) {
            this.wrapUp = wrapUp;
            return this;
        }

        public Builder preferredAgentWait(Duration wait) {
            this.preferredAgentWait = wait;
            return this;
        }

        public Builder defaultHandleTime(Duration handleTime) {
            this.defaultHandleTime = handleTime;
            return this;
        }

        public QueueDefinition build() {
            return new QueueDefinition(id, name, requiredSkills, priority, priorityAgingStep, serviceLevel,
                    relaxation, maxWait, maxWaitTarget, ringTime, wrapUp, preferredAgentWait, defaultHandleTime);
        }
    }
}
