package dev.ivr.routing.internal;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.MatchingStrategy;

import java.util.HashSet;
import java.util.Iterator;
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

    /** The first call in queue order that a ready agent can serve now, skipping {@code excluded} call ids. */
    CallEntry chooseCall(AgentEntry agent, long now, Set<String> excluded) {
        if (!agent.isReady()) {
            return null;
        }
        CallEntry best = null;
        for (CallEntry call : view.calls()) {
            if (call.record.isOffered() || excluded.contains(call.id())) {
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

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (source == null || !source.hasNext()) {
                    if (++alternative >= alternatives.length) {
                        return false;
                    }
                    requirement = alternatives[alternative];
                    source = smallestSource(requirement).iterator();
                    continue;
                }
                AgentEntry entry = source.next();
                if (entry.isReady() && requirement.matches(entry) && !excluded.contains(entry.id())
                        && (seen == null || seen.add(entry.id()))) {
                    next = entry.agent;
                }
            }
            return true;
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

        private Set<AgentEntry> smallestSource(Requirement requirement) {
            Set<AgentEntry> smallest = null;
            int size = Integer.MAX_VALUE;
            for (int skill : requirement.skills) {
                Set<AgentEntry> set = view.readyWith(skill);
                int s = set.size();
                if (s < size) {
                    smallest = set;
                    size = s;
                }
            }
            return smallest == null ? view.ready() : smallest;
        }
    }
}
