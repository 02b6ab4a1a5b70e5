package dev.ivr.server.flow.route;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code route} node asks for.
 *
 * @param callId       Asterisk's unique id of the call
 * @param queue        the queue name
 * @param skills       skill name → minimum level (1-10) the agent needs
 * @param priority     0 (normal) to 100 (first)
 * @param context      fields for the agent's screen pop (secret inputs never appear here)
 * @param maxWait      longest wait before {@link RouteResult.TimedOut}
 * @param announcement what to say while waiting, or null
 * @param waitKeys     keys the caller may press while waiting (each ends the wait with {@link RouteResult.KeyPressed})
 * @param customerId   the identified or authenticated customer, or null
 * @param language     the call's prompt language
 */
public record RouteRequest(String callId, String flow, String node, String ani, String queue,
                           Map<String, Integer> skills, int priority, Map<String, String> context, Duration maxWait,
                           Announcement announcement, Set<String> waitKeys, String customerId, String language) {
    public RouteRequest {
        skills = Map.copyOf(skills);
        context = Map.copyOf(context);
        waitKeys = Set.copyOf(waitKeys);
    }

    /**
     * A periodic announcement while waiting.
     *
     * @param file     playable audio for the prompt (STREAM FILE argument), or null when none
     * @param text     what it says (for logs and simulators)
     * @param every    how often
     * @param position whether to tell the caller their position in the queue
     * @param music    music-on-hold class, or null for the default
     */
    public record Announcement(String file, String text, Duration every, boolean position, String music) {
    }
}
