package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.PbxAffinity;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, on the local view, which agent takes a call and which call an agent takes. Pure decisions: the
 * reservation that follows is made atomically in the cluster and may still fail if another node was faster.
 */
final class Matcher {
    private final LocalView view;
    private final MatchingStrategy strategy;
    private final PbxAffinity affinity;

    Matcher(LocalView view, MatchingStrategy strategy) {
        this(view, strategy, PbxAffinity.NONE);
    }

    Matcher(LocalView view, MatchingStrategy strategy, PbxAffinity affinity) {
        this.view = view;
        this.strategy = strategy;
        this.affinity = affinity;
    }

    /** The best ready agent for a waiting call, skipping {@code excluded} agent ids; null if none. */
    AgentEntry chooseAgent(CallEntry call, long now, Set<String> excluded) {
        if (call.record.isOffered()) {
            return null;
        }
        Requirement[] alternatives = view.alternatives(call, now);
        String preferred = activePreferredAgent(call, alternatives, now);
        if (preferred != null) {
            AgentEntry agent = view.agent(preferred);
            return agent != null && agent.isReady() && !excluded.contains(preferred) ? agent : null;
        }
        if (view.readyCount() == 0) {
            return null;
        }
        String pbx = affinePbx(call);
        if (pbx != null) {
            // agents on the call's PBX first; the others only when none of them is free and the call may go elsewhere
            AgentEntry onPbx = choose(call, alternatives, excluded, now, agent -> onPbx(agent, pbx));
            if (onPbx != null || strictAffinity(call, now)) {
                return onPbx;
            }
        }
        return choose(call, alternatives, excluded, now, null);
    }

    /** The strategy's choice among the eligible ready agents that pass {@code filter} (null: all). */
    private AgentEntry choose(CallEntry call, Requirement[] alternatives, Set<String> excluded, long now,
                              Predicate<AgentEntry> filter) {
        if (strategy instanceof MatchingStrategy.BuiltIn builtIn) {
            return chooseBuiltIn(builtIn, call, alternatives, excluded, filter);
        }
        Agent chosen = strategy.choose(call.call, () -> new Candidates(alternatives, excluded, filter));
        if (chosen == null) {
            return null;
        }
        AgentEntry entry = view.agent(chosen.id());
        if (entry == null || !entry.isReady() || entry.agent != chosen && !canServe(entry, call, now)
                || filter != null && !filter.test(entry)) {
            return null;
        }
        return entry;
    }

    /** The call's PBX when the affinity applies to it (a PBX named, a mode other than IGNORE); else null. */
    private String affinePbx(CallEntry call) {
        return affinity.mode() == PbxAffinity.Mode.IGNORE ? null : call.record.pbx();
    }

    /** Whether only agents on the call's PBX may take it now: REQUIRE, or PREFER within the affinity wait. */
    private boolean strictAffinity(CallEntry call, long now) {
        return affinePbx(call) != null && (affinity.mode() == PbxAffinity.Mode.REQUIRE
                || now - call.record.enqueuedAt() < affinity.waitFor().toMillis());
    }

    private boolean onPbx(AgentEntry agent, String pbx) {
        return pbx.equals(affinity.pbxOf(agent.record.endpoint()));
    }

    /**
     * The built-in strategies on the skill index: the same choice as {@link MatchingStrategy.BuiltIn#choose}
     * (score, then longest idle, then id) without looking skills up by name. Ready agents are indexed by skill,
     * by level and in idle order, so when one skill scores the call the first eligible agent of the highest
     * level is the answer; longest idle alone is the first eligible ready agent.
     */
    private AgentEntry chooseBuiltIn(MatchingStrategy.BuiltIn builtIn, CallEntry call, Requirement[] alternatives,
                                     Set<String> excluded, Predicate<AgentEntry> filter) {
        if (builtIn == MatchingStrategy.BuiltIn.LONGEST_IDLE) {
            return firstEligible(view.ready(), alternatives, excluded, filter);
        }
        int[] scored = view.scoredSkills(call);
        if (scored.length == 1) {
            SkillIndex index = view.readyWith(scored[0]);
            for (int level = 10; index != null && level >= 1; level--) {
                AgentEntry first = firstEligible(index.at(level), alternatives, excluded, filter);
                if (first != null) {
                    return first;
                }
            }
            // no eligible agent has the scored skill: they all score 0, the general scan below decides
        }
        Candidates candidates = new Candidates(alternatives, excluded, filter);
        AgentEntry best = null;
        int bestScore = Integer.MIN_VALUE;
        while (candidates.advance()) {
            AgentEntry agent = candidates.entry;
            int score = 0;
            for (int skill : scored) {
                score += agent.level(skill);
            }
            if (best == null || score > bestScore || score == bestScore && longerIdle(agent, best)) {
                best = agent;
                bestScore = score;
            }
        }
        return best;
    }

    private static AgentEntry firstEligible(Iterable<AgentEntry> inIdleOrder, Requirement[] alternatives,
                                            Set<String> excluded, Predicate<AgentEntry> filter) {
        for (AgentEntry agent : inIdleOrder) {
            if (agent.isReady() && !excluded.contains(agent.id()) && matchesAny(agent, alternatives)
                    && (filter == null || filter.test(agent))) {
                return agent;
            }
        }
        return null;
    }

    private static boolean longerIdle(AgentEntry a, AgentEntry b) {
        long sa = a.record.stateSince();
        long sb = b.record.stateSince();
        return sa < sb || sa == sb && a.id().compareTo(b.id()) < 0;
    }

    /** The first call in queue order that a ready agent can serve now, skipping {@code excluded} call ids. */
    CallEntry chooseCall(AgentEntry agent, long now, Set<String> excluded) {
        return chooseCall(agent, now, excluded, null);
    }

    /** As {@link #chooseCall(AgentEntry, long, Set)}, among the calls owned by {@code owner} (all if null). */
    CallEntry chooseCall(AgentEntry agent, long now, Set<String> excluded, String owner) {
        return chooseCall(agent, now, excluded, owner, Long.MIN_VALUE);
    }

    /**
     * As {@link #chooseCall(AgentEntry, long, Set, String)}, among the calls whose current version reached this
     * view at or after {@code seenSince} (System.nanoTime; Long.MIN_VALUE for all).
     */
    CallEntry chooseCall(AgentEntry agent, long now, Set<String> excluded, String owner, long seenSince) {
        if (!agent.isReady()) {
            return null;
        }
        Iterable<CallEntry> inOrder = view.callsInOrder();
        if (inOrder != null) {
            // queue order does not depend on time: the first call the agent can serve is the one
            for (CallEntry call : inOrder) {
                if (!call.record.isOffered() && seenAfter(call, seenSince)
                        && (owner == null ? !view.departed.departed(call.record.owner()) : owner.equals(call.record.owner()))
                        && (excluded.isEmpty() || !excluded.contains(call.id())) && canServe(agent, call, now)) {
                    return call;
                }
            }
            return null;
        }
        CallEntry best = null;
        for (CallEntry call : view.calls()) {
            if (call.record.isOffered() || !seenAfter(call, seenSince)
                    || owner != null && !owner.equals(call.record.owner())
                    || owner == null && view.departed.departed(call.record.owner())
                    || !excluded.isEmpty() && excluded.contains(call.id())) {
                continue;
            }
            if (best != null && view.compare(call, best, now) >= 0) {
                continue;
            }
            if (canServe(agent, call, now)) {
                best = call;
            }
        }
        return best;
    }

    private static boolean seenAfter(CallEntry call, long seenSince) {
        return seenSince == Long.MIN_VALUE || call.seenAt - seenSince >= 0;
    }

    /**
     * Whether the agent meets the call's requirements at {@code now}, preferred-agent and strict PBX affinity rules
     * included. (Under PREFER after its wait, an agent on another PBX may take a waiting call: the call waits because
     * no agent on its own PBX was free.)
     */
    boolean canServe(AgentEntry agent, CallEntry call, long now) {
        Requirement[] alternatives = view.alternatives(call, now);
        if (!matchesAny(agent, alternatives)) {
            return false;
        }
        if (strictAffinity(call, now) && !onPbx(agent, call.record.pbx())) {
            return false;
        }
        String preferred = activePreferredAgent(call, alternatives, now);
        return preferred == null || preferred.equals(agent.id());
    }

    /**
     * What decides which agents a call accepts at {@code now} besides their states: its relaxation stage and
     * whether it is still kept for its preferred agent or for agents on its PBX. While this value stays the same, a call that found no
     * agent need not be tried again until an agent becomes ready.
     */
    int eligibilityKey(CallEntry call, long now) {
        QueueRules rules = view.queue(call.record.queueId());
        int stage = rules == null ? 0 : rules.stage(now - call.record.enqueuedAt());
        boolean kept = activePreferredAgent(call, view.alternatives(call, now), now) != null;
        return stage * 4 + (strictAffinity(call, now) ? 2 : 0) + (kept ? 1 : 0);
    }

    /**
     * The call's preferred agent while the call is kept for them: within the queue's preferred-agent wait, and
     * only if that agent is logged in and able to take the call.
     */
    private String activePreferredAgent(CallEntry call, Requirement[] alternatives, long now) {
        String preferred = call.record.preferredAgent();
        if (preferred == null) {
            return null;
        }
        QueueRules rules = view.queue(call.record.queueId());
        if (rules == null || now - call.record.enqueuedAt() >= rules.preferredWaitMillis) {
            return null;
        }
        AgentEntry agent = view.agent(preferred);
        if (agent == null || agent.record.state() == AgentState.LOGGED_OUT || !matchesAny(agent, alternatives)
                || strictAffinity(call, now) && !onPbx(agent, call.record.pbx())) {
            return null;
        }
        return preferred;
    }

    private static boolean matchesAny(AgentEntry agent, Requirement[] alternatives) {
        for (Requirement requirement : alternatives) {
            if (requirement.matches(agent)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ready agents meeting one of the alternatives, each scanned from the smallest ready-by-skill set among
     * its skills.
     */
    private final class Candidates implements Iterator<Agent> {
        private final Requirement[] alternatives;
        private final Set<String> excluded;
        private final Predicate<AgentEntry> filter;
        private final Set<String> seen;
        private int alternative = -1;
        private Requirement requirement;
        private Iterator<AgentEntry> source;
        private Agent next;

        Candidates(Requirement[] alternatives, Set<String> excluded, Predicate<AgentEntry> filter) {
            this.alternatives = alternatives;
            this.excluded = excluded;
            this.filter = filter;
            this.seen = alternatives.length > 1 ? new HashSet<>() : null;
        }

        /** The current candidate after {@link #advance()} returned true. */
        AgentEntry entry;

        /** Moves to the next eligible agent; false when there is none. */
        boolean advance() {
            while (true) {
                if (source == null || !source.hasNext()) {
                    if (++alternative >= alternatives.length) {
                        entry = null;
                        return false;
                    }
                    requirement = alternatives[alternative];
                    source = smallestSource(requirement).iterator();
                    continue;
                }
                AgentEntry candidate = source.next();
                if (candidate.isReady() && requirement.matches(candidate) && !excluded.contains(candidate.id())
                        && (filter == null || filter.test(candidate)) && (seen == null || seen.add(candidate.id()))) {
                    entry = candidate;
                    return true;
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null && advance()) {
                next = entry.agent;
            }
            return next != null;
        }

        @Override
        public Agent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Agent agent = next;
            next = null;
            return agent;
        }

        /** The ready agents at or above the level of the requirement's skill that has the fewest of them. */
        private Iterable<AgentEntry> smallestSource(Requirement requirement) {
            Iterable<AgentEntry> smallest = null;
            int size = Integer.MAX_VALUE;
            for (int i = 0; i < requirement.skills.length; i++) {
                SkillIndex index = view.readyWith(requirement.skills[i]);
                if (index == null) {
                    return List.of();
                }
                int n = index.countAtLeast(requirement.levels[i]);
                if (n < size) {
                    smallest = index.atLeast(requirement.levels[i]);
                    size = n;
                }
            }
            return smallest == null ? view.ready() : smallest;
        }
    }
}
