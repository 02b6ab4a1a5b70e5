package dev.ivr.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.EndpointConfig;
import dev.ivr.server.config.IntegrationsConfig;
import dev.ivr.server.flow.integration.IntegrationRequest;
import dev.ivr.server.flow.integration.IntegrationResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpIntegrations} over a scripted transport: how a request is built from the endpoint's
 * configuration and the node's parts, how answers, time-outs and failures come back, and when the
 * circuit breaker opens (and that an open breaker sends nothing).
 */
class HttpIntegrationsTest {
    @TempDir
    Path dir;

    private final List<HttpRequest> sent = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    static EndpointConfig endpoint(String name, Map<String, String> secret, Map<String, Path> secretFiles) {
        return new EndpointConfig(name, "https://orders.example.com/api/", Map.of("Accept-Language", "en"), secret,
                secretFiles, null, 50, 4, 4, Duration.ofMinutes(5));
    }

    private HttpIntegrations client(AtomicReference<Object> next, EndpointConfig... endpoints) {
        return new HttpIntegrations(new IntegrationsConfig(List.of(endpoints)), metrics, request -> {
            sent.add(request);
            Object o = next.get();
            if (o instanceof IOException e) {
                throw e;
            }
            return (HttpIntegrations.Answer) o;
        }, null);
    }

    private static IntegrationRequest get(String path) {
        Map<String, String> query = new java.util.LinkedHashMap<>(); // in the order the node wrote them
        query.put("q", "a b&c=d");
        query.put("lang", "en");
        return new IntegrationRequest("orders", "GET", path, query, null, null, "1700000000.42");
    }

    @Test
    void aRequestHasTheConfiguredUrlHeadersAndSecretsWithTheQueryEncoded() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "s3cret-from-file\n");
        AtomicReference<Object> next = new AtomicReference<>(new HttpIntegrations.Answer(200, "{\"state\":\"shipped\"}"));
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of("Authorization", "Bearer t0ken"),
                Map.of("X-Api-Key", key)))) {
            IntegrationResult r = c.call(get("/orders/12%2F3"));
            assertThat(r).isEqualTo(new IntegrationResult.Answered(200, "{\"state\":\"shipped\"}"));
        }
        HttpRequest req = sent.get(0);
        assertThat(req.uri().toString()).isEqualTo("https://orders.example.com/api/orders/12%2F3?q=a+b%26c%3Dd&lang=en");
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.timeout()).contains(Duration.ofSeconds(2)); // the default
        assertThat(req.headers().firstValue("Authorization")).contains("Bearer t0ken");
        assertThat(req.headers().firstValue("X-Api-Key")).contains("s3cret-from-file");
        assertThat(req.headers().firstValue("Accept-Language")).contains("en");
        assertThat(req.headers().firstValue("X-Request-Id")).contains("1700000000.42");
        assertThat(metrics.get("ivr.integration.requests").tags("endpoint", "orders", "outcome", "ok").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aPostCarriesItsJsonBodyAndTheNodesTimeout() {
        AtomicReference<Object> next = new AtomicReference<>(new HttpIntegrations.Answer(201, "{}"));
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of(), Map.of()))) {
            c.call(new IntegrationRequest("orders", "POST", "/tickets", Map.of(), "{\"a\":1}", Duration.ofMillis(700), "x"));
        }
        HttpRequest req = sent.get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.timeout()).contains(Duration.ofMillis(700));
        assertThat(req.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(req.bodyPublisher().orElseThrow().contentLength()).isEqualTo(7);
    }

    @Test
    void aTimeOutIsReportedAsSuch() {
        AtomicReference<Object> next = new AtomicReference<>(new HttpTimeoutException("request timed out"));
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of(), Map.of()))) {
            assertThat(c.call(get("/x"))).isInstanceOf(IntegrationResult.TimedOut.class);
        }
        assertThat(metrics.get("ivr.integration.requests").tags("endpoint", "orders", "outcome", "timeout").counter().count())
                .isEqualTo(1);
    }

    @Test
    void failuresOpenTheBreakerWhichThenSendsNothingUntilItsTimeIsUp() {
        AtomicReference<Object> next = new AtomicReference<>(new ConnectException());
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of(), Map.of()))) {
            assertThat(c.call(get("/x"))).isInstanceOf(IntegrationResult.Failed.class);
            next.set(new HttpIntegrations.Answer(503, "down"));
            assertThat(c.call(get("/x"))).isEqualTo(new IntegrationResult.Answered(503, "down"));
            next.set(new HttpTimeoutException("t"));
            c.call(get("/x"));
            next.set(new HttpIntegrations.Answer(200, "{}"));
            c.call(get("/x")); // 3 of 4 failed: 75% > 50%
            assertThat(sent).hasSize(4);
            assertThat(c.call(get("/x"))).isInstanceOf(IntegrationResult.BreakerOpen.class);
            assertThat(sent).as("an open breaker sends nothing").hasSize(4);
            assertThat(metrics.get("ivr.integration.breaker.open").tags("endpoint", "orders").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void clientErrorsDoNotOpenTheBreaker() {
        AtomicReference<Object> next = new AtomicReference<>(new HttpIntegrations.Answer(404, "{}"));
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of(), Map.of()))) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.call(get("/x"))).isEqualTo(new IntegrationResult.Answered(404, "{}"));
            }
        }
        assertThat(sent).hasSize(6);
    }

    @Test
    void breakersAreOnePerEndpoint() {
        AtomicReference<Object> next = new AtomicReference<>(new ConnectException());
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of(), Map.of()), endpoint("tickets", Map.of(), Map.of()))) {
            for (int i = 0; i < 4; i++) {
                c.call(get("/x"));
            }
            assertThat(c.call(get("/x"))).isInstanceOf(IntegrationResult.BreakerOpen.class);
            next.set(new HttpIntegrations.Answer(200, "{}"));
            assertThat(c.call(new IntegrationRequest("tickets", "GET", "/t", Map.of(), null, null, "x")))
                    .isInstanceOf(IntegrationResult.Answered.class);
        }
    }

    @Test
    void anUnknownEndpointFailsWithoutSending() {
        try (HttpIntegrations c = client(new AtomicReference<>(), endpoint("orders", Map.of(), Map.of()))) {
            assertThat(c.call(new IntegrationRequest("nope", "GET", "/", Map.of(), null, null, "x")))
                    .isInstanceOf(IntegrationResult.Failed.class);
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void failureReasonsNameNoSecretOrUrl() {
        AtomicReference<Object> next = new AtomicReference<>(new IOException("https://orders.example.com/api?token=t0ken"));
        try (HttpIntegrations c = client(next, endpoint("orders", Map.of("Authorization", "Bearer t0ken"), Map.of()))) {
            IntegrationResult r = c.call(get("/x"));
            assertThat(((IntegrationResult.Failed) r).reason()).isEqualTo("IOException").doesNotContain("t0ken");
        }
    }
}
