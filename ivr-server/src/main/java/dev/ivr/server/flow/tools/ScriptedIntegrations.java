package dev.ivr.server.flow.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.flow.integration.IntegrationRequest;
import dev.ivr.server.flow.integration.IntegrationResult;
import dev.ivr.server.flow.integration.Integrations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints of a simulation or flow test: what each answers, from YAML; nothing is sent.
 *
 * <pre>
 * http:
 *   orders: {status: 200, body: {state: shipped, eta: "2025-06-04"}}
 *   tickets: timeout                  # also: breaker-open, failed, status:503
 *   crm-api: {status: 200, body: "not json"}   # a text body is sent as it is
 * </pre>
 * Endpoints not listed: failed (the node takes on-error).
 */
public final class ScriptedIntegrations implements Integrations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Object> byEndpoint;
    private final List<IntegrationRequest> requests = new ArrayList<>();

    /** @throws IllegalArgumentException naming an answer that is not one of the forms above */
    public ScriptedIntegrations(Map<String, Object> byEndpoint) {
        this.byEndpoint = new LinkedHashMap<>(byEndpoint == null ? Map.of() : byEndpoint);
        this.byEndpoint.forEach((k, v) -> result(k, v));
    }

    @Override
    public synchronized IntegrationResult call(IntegrationRequest request) {
        requests.add(request);
        Object spec = byEndpoint.get(request.endpoint());
        return spec == null ? new IntegrationResult.Failed("no answer scripted for endpoint " + request.endpoint())
                : result(request.endpoint(), spec);
    }

    private static IntegrationResult result(String endpoint, Object spec) {
        if (spec instanceof Map<?, ?> m) {
            if (m.containsKey("result")) {
                return result(endpoint, String.valueOf(m.get("result")));
            }
            int status = m.containsKey("status") ? Integer.parseInt(String.valueOf(m.get("status"))) : 200;
            Object body = m.get("body");
            try {
                return new IntegrationResult.Answered(status, body == null ? "" : body instanceof String s ? s
                        : JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("http: " + endpoint + ": the body cannot be written as JSON");
            }
        }
        String s = String.valueOf(spec).trim();
        if (s.startsWith("status:")) {
            try {
                return new IntegrationResult.Answered(Integer.parseInt(s.substring(7).trim()), "");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("http: " + endpoint + ": '" + s + "': write e.g. status:503");
            }
        }
        return switch (s) {
            case "timeout" -> new IntegrationResult.TimedOut();
            case "breaker-open" -> new IntegrationResult.BreakerOpen();
            case "failed" -> new IntegrationResult.Failed("scripted failure");
            default -> throw new IllegalArgumentException("http: " + endpoint + ": '" + s + "' is not an answer: give"
                    + " {status: 200, body: {...}}, timeout, breaker-open, failed or status:CODE");
        };
    }

    /** What the flows asked, in order. */
    public synchronized List<IntegrationRequest> requests() {
        return List.copyOf(requests);
    }
}
