package dev.ivr.routing.hazelcast;

import dev.ivr.routing.QueueDefinition;

/** A queue definition compiled for matching. */
final class QueueRules {
    final QueueDefinition definition;
    final Requirement base;
    final long[] stepAfter;
    final long agingMillis;
    final long preferredWaitMillis;
    final long maxWaitMillis;

    QueueRules(QueueDefinition definition, SkillIds ids, SkillIds languageIds) {
        this.definition = definition;
        this.base = new Requirement(definition.requiredSkills(), null, ids, languageIds);
        this.stepAfter = definition.relaxation().stream().mapToLong(s -> s.after().toMillis()).toArray();
        this.agingMillis = definition.priorityAgingStep() == null ? 0 : definition.priorityAgingStep().toMillis();
        this.preferredWaitMillis = definition.preferredAgentWait().toMillis();
        this.maxWaitMillis = definition.maxWait() == null ? Long.MAX_VALUE : definition.maxWait().toMillis();
    }

    /** How many relaxation steps apply after waiting {@code waited} millis. */
    int stage(long waited) {
        int stage = 0;
        while (stage < stepAfter.length && stepAfter[stage] <= waited) {
            stage++;
        }
        return stage;
    }

    int priority(int callPriority, long waited) {
        long aging = agingMillis > 0 ? Math.max(0, waited) / agingMillis : 0;
        return (int) Math.min(Integer.MAX_VALUE, (long) callPriority + definition.priority() + aging);
    }
}
