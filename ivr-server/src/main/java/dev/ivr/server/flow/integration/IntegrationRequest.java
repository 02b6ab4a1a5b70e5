package dev.ivr.server.flow.integration;

import java.time.Duration;
import java.util.Map;

/**
 * One request of an {@code http} node.
 *
 * @param endpoint the configured endpoint's name
 * @param method   GET or POST
 * @param path     appended to the endpoint's base URL; caller-supplied parts already percent-encoded
 * @param query    query parameters (encoded by the implementation), in order
 * @param body     the JSON body (POST), or null
 * @param timeout  how long to wait for the answer; null: the endpoint's
 * @param callId   the call's id, for logs and the X-Request-Id header
 */
public record IntegrationRequest(String endpoint, String method, String path, Map<String, String> query, String body,
                                 Duration timeout, String callId) {
    public IntegrationRequest {
        query = query == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
    }
}
