package dev.ivr.server.integration;

import com.sun.net.httpserver.HttpServer;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code http} node in the server as shipped: a real HTTP endpoint (port 0) named in the
 * configuration with a secret header from the environment, calls through the fake PBX over
 * FastAGI, and the answer's fields reaching a later node (a channel variable the dialplan reads).
 * A slow endpoint takes the node's on-timeout edge without holding up another call.
 */
@Tag("integration")
class HttpNodeIT {
    record Received(String method, String path, String query, String body, String auth, String requestId) {
    }

    @TempDir
    Path dir;
    HttpServer endpoint;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        endpoint.createContext("/api/orders/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    body, ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("X-Request-Id")));
            if (ex.getRequestURI().getRawPath().endsWith("/777")) { // headers at once, then a body that trickles
                ex.sendResponseHeaders(200, 0);
                ex.getResponseBody().write('{');
                ex.getResponseBody().flush();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            if (ex.getRequestURI().getRawPath().endsWith("/999")) { // the slow order system
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = "{\"state\":\"shipped\",\"eta\":{\"day\":\"Friday\"}}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        release.countDown();
        endpoint.stop(0);
    }

    @Test
    void theAnswersFieldsReachALaterNodeAndASlowEndpointTimesOutAlone() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("orders.yaml"), """
                description: order status over the phone
                start: order
                languages: [en]
                nodes:
                  order:
                    type: collect
                    into: order
                    prompt: enter-account
                    max-length: 8
                    fallback: bye
                    next: lookup
                  lookup:
                    type: http
                    endpoint: orders
                    method: POST
                    path: /orders/${inputs.order}
                    query: {caller: "${call.ani}"}
                    body: {order: "${inputs.order}", caller: "${call.ani}"}
                    vars:
                      order_state: response.body.state
                      eta: response.body.eta.day
                    next: tell
                    on-error: failed
                    on-timeout: slow
                  tell:
                    type: set
                    channel: {ORDER_STATE: "${order_state}", ORDER_ETA: "${eta}"}
                    next: bye
                  failed:
                    type: set
                    channel: {ORDER_STATE: error}
                    next: bye
                  slow:
                    type: set
                    channel: {ORDER_STATE: timeout}
                    next: bye
                  bye:
                    type: hangup
                """);
        Path yaml = Files.writeString(dir.resolve("ivr.yaml"), """
                integrations:
                  endpoints:
                    - name: orders
                      url: http://127.0.0.1:%d/api
                      secret-headers: {Authorization: "Bearer ${ORDERS_TOKEN_FOR_TEST}"}
                      timeout: 500ms
                """.formatted(endpoint.getAddress().getPort()));
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), yaml, Map.of(
                "IVR_FLOWS_DIR", flows.toString(), "IVR_FLOWS_WATCH", "false",
                "ORDERS_TOKEN_FOR_TEST", "t0ken-from-env")))) {
            FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort());
            // a slow lookup first, still waiting while the next call is served
            var slow = pbx.call("orders").callerId("+15550000001").caller(Caller.script().press("999#")).start();
            CallResult r = pbx.call("orders").callerId("+1 555&x=\"1\"").caller(Caller.script().press("1234#"))
                    .run(Duration.ofSeconds(30));
            assertThat(r.error()).isNull();
            assertThat(r.variable("ORDER_STATE")).isEqualTo("shipped");
            assertThat(r.variable("ORDER_ETA")).isEqualTo("Friday");
            Received got = received.stream().filter(x -> x.path().endsWith("/1234")).findFirst().orElseThrow();
            assertThat(got.method()).isEqualTo("POST");
            assertThat(got.path()).isEqualTo("/api/orders/1234");
            assertThat(got.query()).isEqualTo("caller=%2B1+555%26x%3D%221%22");
            assertThat(new JsonObject(got.body()).getString("caller")).isEqualTo("+1 555&x=\"1\"");
            assertThat(got.auth()).isEqualTo("Bearer t0ken-from-env");
            assertThat(got.requestId()).isEqualTo(r.uniqueId());

            CallResult timedOut = slow.await(Duration.ofSeconds(30));
            assertThat(timedOut.variable("ORDER_STATE")).isEqualTo("timeout");
            CallResult trickled = pbx.call("orders").callerId("+15550000002").caller(Caller.script().press("777#"))
                    .run(Duration.ofSeconds(30));
            assertThat(trickled.variable("ORDER_STATE")).as("the body counts in the time-out").isEqualTo("timeout");
            release.countDown();

            String metrics = server.metrics().scrape();
            assertThat(metrics).containsPattern("ivr_integration_requests_total\\{endpoint=\"orders\",node=\"[^\"]+\",outcome=\"ok\"} 1")
                    .containsPattern("ivr_integration_requests_total\\{endpoint=\"orders\",node=\"[^\"]+\",outcome=\"timeout\"} 2")
                    .contains("ivr_integration_breaker_open{endpoint=\"orders\"");
        }
    }
}
