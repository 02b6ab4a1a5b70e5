package dev.ivr.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A change of requirements once a call has waited {@link #after()}. Steps are cumulative: at 60 s both
 * the 30 s step and the 60 s step apply.
 *
 * @param after       waiting time from which the step applies
 * @param skillLevels new minimum level per skill; 0 drops the requirement on that skill
 * @param addQueues   queues whose agents (those meeting those queues' own requirements) may also take the call
 */
public record RelaxationStep(Duration after, Map<String, Integer> skillLevels, Set<String> addQueues) {
    public RelaxationStep {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("relaxation step time must not be negative");
        }
        skillLevels = Skills.levels(skillLevels, true, "relaxation step");
        addQueues = addQueues == null ? Set.of() : Set.copyOf(addQueues);
    }

    /** A step that changes nothing yet; add changes with {@link #skillLevel} and {@link #addQueue}. */
    public static RelaxationStep after(Duration after) {
        return new RelaxationStep(after, Map.of(), Set.of());
    }

    /** This step, also accepting {@code minLevel} (0 to drop the skill) instead of the queue's level. */
    public RelaxationStep skillLevel(String skill, int minLevel) {
        Map<String, Integer> levels = new LinkedHashMap<>(skillLevels);
        levels.put(skill, minLevel);
        return new RelaxationStep(after, levels, addQueues);
    }

    /** This step, also accepting the agents of another queue. */
    public RelaxationStep addQueue(String queueId) {
        Set<String> queues = new LinkedHashSet<>(addQueues);
        queues.add(Skills.require(queueId, "queue id"));
        return new RelaxationStep(after, skillLevels, queues);
    }
}
