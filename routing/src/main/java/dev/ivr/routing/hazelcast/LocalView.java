package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import dev.ivr.routing.WaitingCall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's replica of agents, waiting calls and queues, fed by map listeners (and by the results of this
 * node's own entry processors, which arrive first). Matching reads it without network round trips; it may lag
 * behind the maps by milliseconds, which is safe because every reservation is re-checked atomically on the
 * owning partition. Ready agents are indexed by skill.
 */
final class LocalView {
    private static final long TOMBSTONE_NANOS = 120_000_000_000L;

    final SkillIds skillIds = new SkillIds();
    final SkillIds languageIds = new SkillIds();
    private final ConcurrentHashMap<String, AgentEntry> agents = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<AgentEntry> ready = new ConcurrentSkipListSet<>(SkillIndex.IDLE);
    private final AtomicInteger readyCount = new AtomicInteger();
    private final ConcurrentHashMap<Integer, SkillIndex> readyBySkill = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CallEntry> calls = new ConcurrentHashMap<>();
    /** Nodes that left: their waiting calls are not offered until another node adopts them. */
    final DepartedOwners departed = new DepartedOwners();
    private final ConcurrentHashMap<Long, Long> tombstones = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, QueueRules> queues = new ConcurrentHashMap<>();
    private final AtomicLong queuesEpoch = new AtomicLong();
    /** Waiting calls in queue order, valid while no queue ages priorities ({@link #anyAging}). */
    private final ConcurrentSkipListMap<CallEntry.OrderKey, CallEntry> ordered = new ConcurrentSkipListMap<>();
    /** Each queue's calls in order, with how many wait ahead of a place ({@link QueueLine}). */
    private final ConcurrentHashMap<String, QueueLine> lines = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> waitingByQueue = new ConcurrentHashMap<>();
    private volatile boolean anyAging;
    /** Counts every applied agent change: the sorted agent list is rebuilt only after one. */
    private final AtomicLong agentsEpoch = new AtomicLong();
    private volatile AgentList agentList;

    // ------------------------------------------------------------------ agents

    /**
     * Applies an agent record if it is newer than the one held.
     *
     * @return the new entry, or null if the record was stale
     */
    AgentEntry applyAgent(AgentRecord record) {
        if (record == null) {
            return null;
        }
        AgentEntry[] applied = new AgentEntry[1];
        agents.compute(record.id(), (id, current) -> {
            if (current != null && current.record.version() >= record.version()) {
                return current;
            }
            AgentEntry next = new AgentEntry(record, skillIds, languageIds);
            agentsEpoch.incrementAndGet();
            if (current != null && current.isReady()) {
                unindex(current);
            }
            if (next.isReady()) {
                index(next);
            }
            applied[0] = next;
            return next;
        });
        return applied[0];
    }

    private void index(AgentEntry entry) {
        if (ready.add(entry)) {
            readyCount.incrementAndGet();
        }
        for (int i = 0; i < entry.skillIds.length; i++) {
            readyBySkill.computeIfAbsent(entry.skillIds[i], k -> new SkillIndex()).add(entry, entry.skillLevels[i]);
        }
    }

    private void unindex(AgentEntry entry) {
        if (ready.remove(entry)) {
            readyCount.decrementAndGet();
        }
        for (int i = 0; i < entry.skillIds.length; i++) {
            SkillIndex index = readyBySkill.get(entry.skillIds[i]);
            if (index != null) {
                index.remove(entry, entry.skillLevels[i]);
            }
        }
    }

    AgentEntry agent(String id) {
        return agents.get(id);
    }

    Collection<AgentEntry> agents() {
        return agents.values();
    }

    /**
     * Every agent, sorted by id; the list is rebuilt only when an agent changed since the last call, so
     * thousands of waiting calls asking in turn share one copy.
     */
    List<Agent> agentsById() {
        long epoch = agentsEpoch.get();
        AgentList list = agentList;
        if (list == null || list.epoch != epoch) {
            list = new AgentList(epoch, agents.values().stream().map(e -> e.agent)
                    .sorted(Comparator.comparing(Agent::id)).toList());
            agentList = list;
        }
        return list.agents;
    }

    private record AgentList(long epoch, List<Agent> agents) {
    }

    int readyCount() {
        return readyCount.get();
    }

    /** Every ready agent, longest idle first. */
    Iterable<AgentEntry> ready() {
        return ready;
    }

    /** The ready agents having a skill, by level; null if none has it. */
    SkillIndex readyWith(int skillId) {
        return readyBySkill.get(skillId);
    }

    // ------------------------------------------------------------------ calls

    /**
     * Applies a call record unless it is stale or belongs to a removed incarnation.
     *
     * @return the new entry, or null if ignored
     */
    CallEntry applyCall(CallRecord record) {
        if (record == null || tombstones.containsKey(record.incarnation())) {
            return null;
        }
        CallEntry[] applied = new CallEntry[1];
        calls.compute(record.callId(), (id, current) -> {
            if (current != null && current.record.incarnation() == record.incarnation()
                    && current.record.version() >= record.version()) {
                return current;
            }
            if (tombstones.containsKey(record.incarnation())) {
                return current;
            }
            CallEntry next = new CallEntry(record, snapshot(record));
            if (current != null) {
                unorder(current);
            }
            order(next);
            applied[0] = next;
            return next;
        });
        return applied[0];
    }

    private void order(CallEntry entry) {
        QueueRules rules = queues.get(entry.record.queueId());
        int priority = entry.record.priority() + (rules == null ? 0 : rules.definition.priority());
        CallEntry.OrderKey key = new CallEntry.OrderKey(entry.record.head(), priority, entry.record.enqueuedAt(),
                entry.id());
        entry.orderKey = key;
        ordered.put(key, entry);
        lines.computeIfAbsent(entry.record.queueId(), q -> new QueueLine()).add(key, entry);
        waitingByQueue.computeIfAbsent(entry.record.queueId(), q -> new AtomicInteger()).incrementAndGet();
    }

    private void unorder(CallEntry entry) {
        CallEntry.OrderKey key = entry.orderKey;
        if (key != null && ordered.remove(key, entry)) {
            lines.get(entry.record.queueId()).remove(key, entry);
            waitingByQueue.get(entry.record.queueId()).decrementAndGet();
        }
    }

    /** Calls in a queue (waiting or being offered). */
    int waitingIn(String queueId) {
        AtomicInteger n = waitingByQueue.get(queueId);
        return n == null ? 0 : n.get();
    }

    /** Waiting calls in queue order, or null when the order depends on time (a queue ages priorities). */
    Iterable<CallEntry> callsInOrder() {
        return anyAging ? null : ordered.values();
    }

    /**
     * How many calls of its queue wait ahead of {@code call} (offered ones do not count), or -1 when the
     * order depends on time (a queue ages priorities). Exact, from the queue's {@link QueueLine}: a snapshot of
     * its order corrected by the changes since, so that announcing positions to every waiting caller costs a
     * binary search each rather than a walk of the queue each, even while calls come and go.
     */
    int waitingAhead(CallEntry call) {
        CallEntry.OrderKey key = call.orderKey;
        QueueLine line = lines.get(call.record.queueId());
        if (anyAging || key == null || line == null) {
            return -1;
        }
        return line.waitingAhead(key);
    }

    /**
     * Removes a call (this incarnation only) and remembers the incarnation so that late updates are ignored.
     *
     * @return whether an entry was removed
     */
    boolean removeCall(CallRecord record) {
        if (record == null) {
            return false;
        }
        tombstones.put(record.incarnation(), System.nanoTime() + TOMBSTONE_NANOS);
        boolean[] removed = new boolean[1];
        calls.computeIfPresent(record.callId(), (id, current) -> {
            if (current.record.incarnation() == record.incarnation()) {
                removed[0] = true;
                unorder(current);
                return null;
            }
            return current;
        });
        return removed[0];
    }

    void purgeTombstones() {
        long now = System.nanoTime();
        tombstones.values().removeIf(expiry -> expiry - now < 0);
    }

    CallEntry call(String callId) {
        return calls.get(callId);
    }

    Collection<CallEntry> calls() {
        return calls.values();
    }

    private WaitingCall snapshot(CallRecord r) {
        QueueRules rules = queues.get(r.queueId());
        Map<String, Integer> skills = rules == null ? r.skills() : merge(rules.definition.requiredSkills(), r.skills());
        return new WaitingCall(r.callId(), r.queueId(), skills, r.language(), r.priority(), r.preferredAgent(),
                r.owner(), Instant.ofEpochMilli(r.enqueuedAt()), r.head(), r.agentId(), r.offers(), r.pbx());
    }

    private static Map<String, Integer> merge(Map<String, Integer> a, Map<String, Integer> b) {
        if (b.isEmpty()) {
            return a;
        }
        Map<String, Integer> merged = new HashMap<>(a);
        b.forEach((skill, level) -> merged.merge(skill, level, Math::max));
        return Map.copyOf(merged);
    }

    // ------------------------------------------------------------------ queues

    void applyQueue(QueueDefinition definition) {
        queues.put(definition.id(), new QueueRules(definition, skillIds, languageIds));
        queuesChanged();
    }

    void removeQueue(String id) {
        queues.remove(id);
        queuesChanged();
    }

    /** New rules: requirements are recompiled lazily; queue priorities may have changed the order. */
    private void queuesChanged() {
        queuesEpoch.incrementAndGet();
        anyAging = queues.values().stream().anyMatch(q -> q.agingMillis > 0);
        for (String id : calls.keySet()) {
            calls.computeIfPresent(id, (k, entry) -> {
                unorder(entry);
                order(entry);
                return entry;
            });
        }
    }

    QueueRules queue(String id) {
        return queues.get(id);
    }

    Collection<QueueRules> queues() {
        return queues.values();
    }

    // ------------------------------------------------------------------ rules

    /** The alternative requirements of a call after waiting until {@code now}: an agent must meet one. */
    Requirement[] alternatives(CallEntry call, long now) {
        CallEntry.Compiled compiled = compiled(call);
        Requirement[][] stages = compiled.stages();
        int stage = compiled.rules() == null ? 0 : compiled.rules().stage(now - call.record.enqueuedAt());
        return stages[Math.min(stage, stages.length - 1)];
    }

    private CallEntry.Compiled compiled(CallEntry call) {
        long epoch = queuesEpoch.get();
        CallEntry.Compiled compiled = call.compiled;
        if (compiled != null && compiled.epoch() == epoch) {
            return compiled;
        }
        QueueRules rules = queues.get(call.record.queueId());
        CallRecord r = call.record;
        Map<String, Integer> scoring = rules == null ? r.skills() : merge(rules.definition.requiredSkills(), r.skills());
        int[] scored = scoring.keySet().stream().mapToInt(skillIds::id).toArray();
        Requirement[][] stages = stages(r, rules);
        compiled = new CallEntry.Compiled(epoch, rules, stages, scored);
        call.compiled = compiled;
        return compiled;
    }

    /**
     * The requirements of a call at each relaxation stage of its queue, first stage first: at each stage an agent
     * must meet one of the alternatives (the queue's skills merged with the call's, steps cumulative, level 0 drops
     * a skill, added queues' agents accepted on those queues' own skills; the call's language throughout).
     */
    private Requirement[][] stages(CallRecord r, QueueRules rules) {
        Requirement[][] stages;
        if (rules == null) {
            stages = new Requirement[][]{{new Requirement(r.skills(), r.language(), skillIds, languageIds)}};
        } else {
            List<RelaxationStep> steps = rules.definition.relaxation();
            stages = new Requirement[steps.size() + 1][];
            Map<String, Integer> primary = new HashMap<>(merge(rules.definition.requiredSkills(), r.skills()));
            List<Requirement> others = new ArrayList<>();
            stages[0] = new Requirement[]{new Requirement(primary, r.language(), skillIds, languageIds)};
            for (int k = 0; k < steps.size(); k++) {
                RelaxationStep step = steps.get(k);
                step.skillLevels().forEach((skill, level) -> {
                    if (level == 0) {
                        primary.remove(skill);
                    } else {
                        primary.put(skill, level);
                    }
                });
                for (String other : step.addQueues()) {
                    QueueRules otherRules = queues.get(other);
                    if (otherRules != null) {
                        others.add(new Requirement(otherRules.definition.requiredSkills(), r.language(), skillIds, languageIds));
                    }
                }
                Requirement[] alternatives = new Requirement[1 + others.size()];
                alternatives[0] = new Requirement(primary, r.language(), skillIds, languageIds);
                for (int i = 0; i < others.size(); i++) {
                    alternatives[i + 1] = others.get(i);
                }
                stages[k + 1] = alternatives;
            }
        }
        return stages;
    }

    /**
     * Whether any logged-in agent (in any state but LOGGED_OUT) could ever take this call: meets the call's
     * requirements at some relaxation stage the call reaches before it leaves, after {@code maxWait} or the
     * queue's own maximum wait, whichever is shorter (null: no limit).
     */
    boolean anyAgentCouldServe(CallRecord call, Duration maxWait) {
        return anyAgentCouldServe(call, maxWait, null);
    }

    /** As {@link #anyAgentCouldServe(CallRecord, Duration)}, among the agents that pass {@code filter} (null: all). */
    boolean anyAgentCouldServe(CallRecord call, Duration maxWait, java.util.function.Predicate<AgentEntry> filter) {
        QueueRules rules = queues.get(call.queueId());
        Requirement[][] stages = stages(call, rules);
        int reachable = 1;
        if (rules != null) {
            Duration limit = maxWait;
            Duration queueMax = rules.definition.maxWait();
            if (queueMax != null && (limit == null || queueMax.compareTo(limit) < 0)) {
                limit = queueMax;
            }
            for (RelaxationStep step : rules.definition.relaxation()) {
                if (limit != null && step.after().compareTo(limit) >= 0) {
                    break; // the call leaves before this step applies
                }
                reachable++;
            }
        }
        for (AgentEntry agent : agents.values()) {
            if (agent.record.state() == AgentState.LOGGED_OUT || filter != null && !filter.test(agent)) {
                continue;
            }
            for (int k = 0; k < reachable; k++) {
                for (Requirement requirement : stages[k]) {
                    if (requirement.matches(agent)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Skill ids whose levels score an agent for this call (the queue's and the call's own skills). */
    int[] scoredSkills(CallEntry call) {
        return compiled(call).scoredSkills();
    }

    /** Effective priority of a call at {@code now}: call + queue priority + aging. */
    int priority(CallEntry call, long now) {
        QueueRules rules = compiled(call).rules();
        return rules == null ? call.record.priority() : rules.priority(call.record.priority(), now - call.record.enqueuedAt());
    }

    /**
     * Queue order: head-of-queue calls first, then higher effective priority, then longer waiting (then call id).
     */
    Comparator<CallEntry> order(long now) {
        return (a, b) -> compare(a, b, now);
    }

    int compare(CallEntry a, CallEntry b, long now) {
        if (a.record.head() != b.record.head()) {
            return a.record.head() ? -1 : 1;
        }
        int pa = priority(a, now);
        int pb = priority(b, now);
        if (pa != pb) {
            return pa > pb ? -1 : 1;
        }
        int byTime = Long.compare(a.record.enqueuedAt(), b.record.enqueuedAt());
        return byTime != 0 ? byTime : a.id().compareTo(b.id());
    }

    /** Agents meeting a queue's own requirements, by state. */
    Map<AgentState, Integer> agentsFor(QueueRules rules) {
        Map<AgentState, Integer> counts = new EnumMap<>(AgentState.class);
        for (AgentState s : AgentState.values()) {
            counts.put(s, 0);
        }
        for (AgentEntry agent : agents.values()) {
            if (rules.base.matches(agent)) {
                counts.merge(agent.record.state(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
