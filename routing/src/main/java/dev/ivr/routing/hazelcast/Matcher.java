package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.MatchingStrategy;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Decides, on the local view, which agent takes a call and which call an agent takes. Pure decisions: the
 * reservation that follows is made atomically in the cluster and may still fail if another node was faster.
 */
final class Matcher {
    private final LocalView view;
    private final MatchingStrategy strategy;

    Matcher(LocalView view, MatchingStrategy strategy) {
        this.view = view;
        this.strategy = strategy;
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
        if (strategy instanceof MatchingStrategy.BuiltIn builtIn) {
            return chooseBuiltIn(builtIn, call, alternatives, excluded);
        }
        Agent chosen = strategy.choose(call.call, () -> new Candidates(alternatives, excluded));
        if (chosen == null) {
            return null;
        }
        AgentEntry entry = view.agent(chosen.id());
        if (entry == null || !entry.isReady() || entry.agent != chosen && !canServe(entry, call, now)) {
            return null;
        }
        return entry;
    }

    /**
     * The built-in strategies on the skill index: the same choice as {@link MatchingStrategy.BuiltIn#choose}
     * (score, then longest idle, then id) without looking skills up by name. Ready agents are indexed by skill,
     * by level and in idle order, so when one skill scores the call the first eligible agent of the highest
     * level is the answer; longest idle alone is the first eligible ready agent.
     */
    private AgentEntry chooseBuiltIn(MatchingStrategy.BuiltIn builtIn, CallEntry call, Requirement[] alternatives,
                                     Set<String> excluded) {
        if (builtIn == MatchingStrategy.BuiltIn.LONGEST_IDLE) {
            return firstEligible(view.ready(), alternatives, excluded);
        }
        int[] scored = view.scoredSkills(call);
        if (scored.length == 1) {
            SkillIndex index = view.readyWith(scored[0]);
            for (int level = 10; index != null && level >= 1; level--) {
                AgentEntry first = firstEligible(index.at(level), alternatives, excluded);
                if (first != null) {
                    return first;
                }
            }
            // no eligible agent has the scored skill: they all score 0, the general scan below decides
        }
        Candidates candidates = new Candidates(alternatives, excluded);
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
                                            Set<String> excluded) {
        for (AgentEntry agent : inIdleOrder) {
            if (agent.isReady() && !excluded.contains(agent.id()) && matchesAny(agent, alternatives)) {
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

    /** Whether the agent meets the call's requirements at {@code now}, preferred-agent rule included. */
    boolean canServe(AgentEntry agent, CallEntry call, long now) {
        Requirement[] alternatives = view.alternatives(call, now);
        if (!matchesAny(agent, alternatives)) {
            return false;
        }
        String preferred = activePreferredAgent(call, alternatives, now);
        return preferred == null || preferred.equals(agent.id());
    }

    /**
     * What decides which agents a call accepts at {@code now} besides their states: its relaxation stage and
     * whether it is still kept for its preferred agent. While this value stays the same, a call that found no
     * agent need not be tried again until an agent becomes ready.
     */
    int eligibilityKey(CallEntry call, long now) {
        QueueRules rules = view.queue(call.record.queueId());
        int stage = rules == null ? 0 : rules.stage(now - call.record.enqueuedAt());
        boolean kept = activePreferredAgent(call, view.alternatives(call, now), now) != null;
        return stage * 2 + (kept ? 1 : 0);
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
        if (agent == null || agent.record.state() == AgentState.LOGGED_OUT || !matchesAny(agent, alternatives)) {
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
        private final Set<String> seen;
        private int alternative = -1;
        private Requirement requirement;
        private Iterator<AgentEntry> source;
        private Agent next;

        Candidates(Requirement[] alternatives, Set<String> excluded) {
            this.alternatives = alternatives;
            this.excluded = excluded;
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
                        && (seen == null || seen.add(candidate.id()))) {
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
