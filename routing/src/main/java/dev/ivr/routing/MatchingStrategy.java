package dev.ivr.routing;

import java.time.Instant;
import java.util.Comparator;

/**
 * Chooses which ready agent takes a call, among the agents that meet the call's requirements at that moment
 * (after relaxation). Calls are always served in queue order (head-of-queue, priority, waiting time); the
 * strategy only ranks agents. Implementations must be thread-safe and fast: they run for every decision.
 */
@FunctionalInterface
public interface MatchingStrategy {

    /**
     * @param call     the call to serve
     * @param eligible ready agents that may take it (iterate once; it is computed lazily)
     * @return the chosen agent, or null to leave the call waiting
     */
    Agent choose(WaitingCall call, Iterable<Agent> eligible);

    /**
     * The default: the highest sum of levels in the call's required skills, then the agent idle the longest,
     * then the agent id (for a deterministic result). The router runs this one on its own skill index.
     */
    static MatchingStrategy bestSkillThenLongestIdle() {
        return BuiltIn.BEST_SKILL;
    }

    /** The agent idle the longest, whatever their levels. The router runs this one on its own skill index. */
    static MatchingStrategy longestIdle() {
        return BuiltIn.LONGEST_IDLE;
    }

    /** Longest idle first (earliest {@link Agent#idleSince()}), then by id. */
    Comparator<Agent> IDLE_ORDER = Comparator
            .comparing((Agent a) -> a.idleSince() == null ? Instant.MAX : a.idleSince())
            .thenComparing(Agent::id);

    /** The built-in strategies, recognised by the router for a faster path with the same result. */
    enum BuiltIn implements MatchingStrategy {
        BEST_SKILL {
            @Override
            public Agent choose(WaitingCall call, Iterable<Agent> eligible) {
                Agent best = null;
                int bestScore = Integer.MIN_VALUE;
                for (Agent agent : eligible) {
                    int score = 0;
                    for (String skill : call.requiredSkills().keySet()) {
                        score += agent.level(skill);
                    }
                    if (best == null || score > bestScore
                            || score == bestScore && IDLE_ORDER.compare(agent, best) < 0) {
                        best = agent;
                        bestScore = score;
                    }
                }
                return best;
            }
        },
        LONGEST_IDLE {
            @Override
            public Agent choose(WaitingCall call, Iterable<Agent> eligible) {
                Agent best = null;
                for (Agent agent : eligible) {
                    if (best == null || IDLE_ORDER.compare(agent, best) < 0) {
                        best = agent;
                    }
                }
                return best;
            }
        }
    }
}
