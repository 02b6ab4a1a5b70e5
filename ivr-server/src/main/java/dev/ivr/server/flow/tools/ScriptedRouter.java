package dev.ivr.server.flow.tools;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.config.DurationText;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router of a simulation or flow test: what each queue answers, from YAML.
 *
 * <pre>
 * routing:
 *   billing: {result: connected, agent: agent-7, wait: 40s, talk: 4m}
 *   support: {result: timeout, wait: 10m}
 *   sales: {result: key, key: "1"}          # the caller pressed a wait option
 *   vip: {result: callback, number: "+3612345678"}   # the caller asked to be called back
 * </pre>
 * Results: connected, dialplan (handed to the dialplan to dial the agent), callback, timeout,
 * no-agents, failed, key, hangup. Queues not listed: failed.
 */
public final class ScriptedRouter implements CallRouter {
    private final Map<String, Map<String, Object>> byQueue;
    private final Map<String, Object> otherwise;
    private final List<RouteRequest> requests = new ArrayList<>();

    public ScriptedRouter(Map<String, Map<String, Object>> byQueue) {
        this(byQueue, null);
    }

    /** @param otherwise what queues not listed answer (null: failed) */
    public ScriptedRouter(Map<String, Map<String, Object>> byQueue, Map<String, Object> otherwise) {
        this.byQueue = new LinkedHashMap<>(byQueue == null ? Map.of() : byQueue);
        this.otherwise = otherwise;
    }

    @Override
    public synchronized RouteResult route(RouteRequest request, CallChannel channel) {
        requests.add(request);
        Map<String, Object> spec = byQueue.getOrDefault(request.queue(), otherwise);
        if (spec == null) {
            return new RouteResult.Failed("no routing given for queue " + request.queue());
        }
        String result = String.valueOf(spec.getOrDefault("result", "connected"));
        Duration wait = duration(spec.get("wait"), Duration.ofSeconds(30));
        return switch (result) {
            case "connected" -> new RouteResult.Connected(String.valueOf(spec.getOrDefault("agent", "agent-1")), wait,
                    duration(spec.get("talk"), Duration.ofMinutes(3)));
            case "dialplan" -> new RouteResult.HandedToDialplan(String.valueOf(spec.getOrDefault("agent", "agent-1")), wait);
            case "callback" -> new RouteResult.CallbackScheduled(String.valueOf(spec.getOrDefault("number",
                    request.callback() == null ? "" : request.callback().number())), wait);
            case "timeout" -> new RouteResult.TimedOut(wait);
            case "no-agents" -> new RouteResult.NoAgents();
            case "key" -> new RouteResult.KeyPressed(String.valueOf(spec.getOrDefault("key", "1")).charAt(0), wait);
            case "hangup" -> new RouteResult.CallerHungUp(wait);
            default -> new RouteResult.Failed(result);
        };
    }

    private static Duration duration(Object o, Duration fallback) {
        return o == null ? fallback : DurationText.parse(String.valueOf(o));
    }

    /** What the flow asked for, in order (screen pops included). */
    public synchronized List<RouteRequest> requests() {
        return List.copyOf(requests);
    }
}
