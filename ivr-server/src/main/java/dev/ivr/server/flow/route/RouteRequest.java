package dev.ivr.server.flow.route;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * @param journey      what the IVR learned before the route node, for the agent's context
 * @param callback     the callback option offered while waiting, or null
 */
public record RouteRequest(String callId, String flow, String node, String ani, String queue,
                           Map<String, Integer> skills, int priority, Map<String, String> context, Duration maxWait,
                           Announcement announcement, Set<String> waitKeys, String customerId, String language,
                           Journey journey, Callback callback) {
    public RouteRequest {
        skills = Map.copyOf(skills);
        context = Map.copyOf(context);
        waitKeys = Set.copyOf(waitKeys);
        journey = journey == null ? Journey.NONE : journey;
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

    /**
     * The call so far, as the flow engine knows it.
     *
     * @param path       the flow nodes the caller went through (the route node last)
     * @param inputs     inputs collected, secret ones masked
     * @param ivrStart   when the flow started
     * @param intent     why the caller calls, as the flow determined it (the node's {@code intent}, else the queue)
     * @param authResult OK, FAILED, LOCKED, UNAVAILABLE, or null when the flow did not authenticate
     */
    public record Journey(List<String> path, Map<String, String> inputs, Instant ivrStart, String intent,
                          String authResult) {
        public static final Journey NONE = new Journey(List.of(), Map.of(), null, null, null);

        public Journey {
            path = path == null ? List.of() : List.copyOf(path);
            inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        }
    }

    /**
     * The callback option: while waiting, {@code key} offers to hang up and be called back,
     * keeping the place in the queue.
     *
     * @param key         the key that asks for it
     * @param confirmFile the confirmation prompt (STREAM FILE argument), or null when it has no audio now
     * @param confirmText what the confirmation prompt says (for logs and simulators)
     * @param confirmKey  the key that confirms (any other key, or none, keeps the caller waiting)
     * @param number      the number to call back (digits and +), empty when unknown (withheld)
     */
    public record Callback(char key, String confirmFile, String confirmText, char confirmKey, String number) {
    }
}
