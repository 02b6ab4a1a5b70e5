package dev.ivr.server.flow.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.expr.Values;
import dev.ivr.server.flow.integration.IntegrationRequest;
import dev.ivr.server.flow.integration.IntegrationResult;
import dev.ivr.server.flow.integration.Integrations;
import dev.ivr.server.flow.model.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} node: one request to a configured endpoint through {@link Integrations}, the
 * answer's fields into flow variables. Values from the call are percent-encoded in the path and
 * written as JSON strings in the body, so a caller cannot change the request's shape. The log
 * names the endpoint and the path as written in the flow, never the values sent or received.
 */
final class HttpStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Integrations integrations;

    HttpStep(Integrations integrations) {
        this.integrations = integrations;
    }

    Next run(Node.Http n, FlowEngine.Run run) {
        CallState st = run.st;
        Map<String, Object> activation = st.activation();
        String path;
        Map<String, String> query = new LinkedHashMap<>();
        String body;
        try {
            path = n.path() == null ? "" : n.path().render(activation, HttpStep::pathSegment);
            for (Map.Entry<String, Template> q : n.query().entrySet()) {
                query.put(q.getKey(), q.getValue().render(activation));
            }
            body = n.body() == null ? null : JSON.writeValueAsString(body(n.body(), activation));
        } catch (EvalException | JsonProcessingException e) {
            LOG.warn("[{}] http {}: the request cannot be built: {}", n.id(), n.endpoint(), e.getMessage());
            run.observer.event("http " + n.endpoint() + ": request not built");
            return Next.to(n.onError());
        }
        IntegrationResult result = integrations.call(new IntegrationRequest(n.endpoint(), n.method(), path, query, body,
                n.timeout(), st.info.uniqueId()));
        return switch (result) {
            case IntegrationResult.Answered a -> answered(n, run, a);
            case IntegrationResult.TimedOut t -> {
                LOG.warn("[{}] http {} {} {}: no answer in time", n.id(), n.endpoint(), n.method(), source(n));
                run.observer.event("http " + n.endpoint() + ": timed out");
                yield Next.to(n.onTimeout() != null ? n.onTimeout() : n.onError());
            }
            case IntegrationResult.BreakerOpen b -> {
                LOG.warn("[{}] http {}: circuit breaker open, not asked", n.id(), n.endpoint());
                run.observer.event("http " + n.endpoint() + ": circuit breaker open");
                yield Next.to(n.onError());
            }
            case IntegrationResult.Failed f -> {
                LOG.warn("[{}] http {} {} {}: {}", n.id(), n.endpoint(), n.method(), source(n), f.reason());
                run.observer.event("http " + n.endpoint() + ": failed (" + f.reason() + ")");
                yield Next.to(n.onError());
            }
        };
    }

    private Next answered(Node.Http n, FlowEngine.Run run, IntegrationResult.Answered a) {
        run.observer.event("http " + n.endpoint() + ": " + a.status());
        if (a.status() < 200 || a.status() > 299) {
            LOG.warn("[{}] http {} {} {}: answered {}", n.id(), n.endpoint(), n.method(), source(n), a.status());
            return Next.to(n.onError());
        }
        Object parsed;
        try {
            parsed = a.body() == null || a.body().isBlank() ? null : Values.fromCel(JSON.readValue(a.body(), Object.class));
        } catch (JsonProcessingException e) {
            LOG.warn("[{}] http {} {} {}: answered {} with a body that is not JSON", n.id(), n.endpoint(), n.method(),
                    source(n), a.status());
            run.observer.event("http " + n.endpoint() + ": the answer is not JSON");
            return Next.to(n.onError());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", (long) a.status());
        response.put("body", parsed);
        Map<String, Object> activation = run.st.activation();
        activation.put("response", response);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Expr> e : n.vars().entrySet()) {
            try {
                values.put(e.getKey(), e.getValue().eval(activation));
            } catch (EvalException ex) {
                LOG.warn("[{}] http {}: {} cannot be set from the answer: {}", n.id(), n.endpoint(), e.getKey(),
                        ex.getMessage());
                run.observer.event("http " + n.endpoint() + ": " + e.getKey() + " not in the answer");
                return Next.to(n.onError());
            }
        }
        run.st.frame().vars.putAll(values);
        LOG.info("[{}] http {} {} {}: {}", n.id(), n.endpoint(), n.method(), source(n), a.status());
        return Next.to(n.next());
    }

    /** The body with its templates rendered: the structure is the designer's, the values are strings. */
    private static Object body(Object template, Map<String, Object> activation) throws EvalException {
        if (template instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), body(e.getValue(), activation));
            }
            return out;
        }
        if (template instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(body(x, activation));
            }
            return out;
        }
        if (template instanceof Template t) {
            return t.render(activation);
        }
        return template;
    }

    /** A value inside a path: every character that could end the segment or start a query is encoded. */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String source(Node.Http n) {
        return n.path() == null ? "/" : n.path().source();
    }
}
