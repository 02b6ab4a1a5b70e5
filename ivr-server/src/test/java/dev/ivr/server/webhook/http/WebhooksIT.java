package dev.ivr.server.webhook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.desk.DeskClient;
import dev.ivr.server.desk.DeskClient.Reply;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.server.webhook.Signing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks on a whole server with a real receiver (the JDK's HTTP server): the receiver is down, the server
 * restarts meanwhile, the receiver comes up: every event arrives, signed, in order per call. And the event stream
 * read by a real client.
 */
@Tag("integration")
class WebhooksIT {
    @TempDir
    Path dir;
    IvrServer server;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String eventId, String timestamp, String signature, byte[] body) {
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    IvrConfig config() {
        return TestConfigs.server(dir.resolve("data"), Map.of("IVR_FLOWS_WATCH", "false",
                "IVR_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1", "IVR_WEBHOOKS_ALLOW_HTTP", "true",
                "IVR_WEBHOOKS_BACKOFF_BASE", "100ms", "IVR_WEBHOOKS_BACKOFF_MAX", "400ms",
                "IVR_WEBHOOKS_MAX_ATTEMPTS", "100", "IVR_WEBHOOKS_POLL", "100ms", "IVR_WEBHOOKS_TIMEOUT", "2s",
                "IVR_WEBHOOKS_LEASE", "5s", "IVR_WEBHOOKS_STREAM_HEARTBEAT", "300ms"));
    }

    HttpServer receiver(int port) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        s.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                received.add(new Received(ex.getRequestHeaders().getFirst(Signing.EVENT_ID),
                        ex.getRequestHeaders().getFirst(Signing.TIMESTAMP), ex.getRequestHeaders().getFirst(Signing.SIGNATURE),
                        body));
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    List<JournalEvent> call(String id, Instant at) {
        List<JournalEvent> out = new ArrayList<>();
        for (Type t : List.of(Type.CALL_ENTERED, Type.CALL_QUEUED, Type.CALL_ANSWERED, Type.CALL_ENDED)) {
            out.add(JournalEvent.of(at = at.plusMillis(10), t, id, "main", null, "billing", null, null, null, null, "test"));
        }
        return out;
    }

    double metric(DeskClient api, String admin, String name, String... labels) {
        for (String l : api.get("/metrics", admin).body().split("\n")) {
            if (l.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(l::contains)) {
                return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aReceiverDownThroughARestartGetsEveryEventSignedAndInOrderPerCall() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // the receiver is down: connections to its port are refused
        }

        server = IvrServer.start(config());
        DeskClient api = new DeskClient(server.httpPort());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        assertThat(api.post("/api/webhooks", null, new JsonObject()).status()).isEqualTo(401);
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", "correct horse battery")
                .put("roles", new JsonArray().add("supervisor")));
        String sam = api.login("sam", "correct horse battery");
        assertThat(api.get("/api/webhooks", sam).status()).as("supervisors do not manage webhooks").isEqualTo(403);
        Reply bad = api.post("/api/webhooks", admin, new JsonObject().put("url", "https://evil.example.com/x")
                .put("events", new JsonArray().add("call.ended")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("error")).contains("not in webhooks.allowed-hosts");
        assertThat(api.post("/api/webhooks", admin, new JsonObject().put("url", "http://127.0.0.1:" + port + "/hook")
                .put("events", new JsonArray().add("call.boom"))).status()).isEqualTo(400);
        Reply created = api.post("/api/webhooks", admin, new JsonObject().put("url", "http://127.0.0.1:" + port + "/hook")
                .put("events", new JsonArray().add("*")).put("description", "the CRM"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().getString("id");
        String secret = created.json().getString("secret");
        assertThat(secret).startsWith("whsec_");
        Reply list = api.get("/api/webhooks", admin);
        assertThat(list.body()).contains(id).doesNotContain(secret).doesNotContain("\"secret\"");

        Instant t0 = Instant.now();
        List<List<JournalEvent>> calls = List.of(call("c1", t0), call("c2", t0), call("c3", t0));
        for (int i = 0; i < 4; i++) {
            for (List<JournalEvent> c : calls) {
                server.journal().emit(c.get(i));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.journal().pending() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(api, admin,
                "ivr_webhook_deliveries_total", "result=\"failed\"", "subscription=\"" + id + "\"") >= 3);
        assertThat(received).isEmpty();

        server.stop(); // a restart while the receiver is still down: the queue is in the database
        server = IvrServer.start(config());
        DeskClient again = new DeskClient(server.httpPort());
        List<JournalEvent> later = call("c4", Instant.now());
        later.forEach(server.journal()::emit);
        receiver = receiver(port);

        List<JournalEvent> all = new ArrayList<>(later);
        calls.forEach(all::addAll);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().map(Received::eventId).distinct().count() == 16);
        for (Received r : received) {
            assertThat(Signing.verify(secret, r.timestamp(), r.signature(), r.body(), Instant.now().getEpochSecond(), 300))
                    .as("signature of " + r.eventId()).isTrue();
            JsonObject body = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
            assertThat(body.getString("id")).isEqualTo(r.eventId());
        }
        List<String> order = received.stream().map(Received::eventId).distinct().toList();
        for (List<JournalEvent> c : List.of(calls.get(0), calls.get(1), calls.get(2), later)) {
            assertThat(order.stream().filter(e -> c.stream().anyMatch(x -> x.id().equals(e))).toList())
                    .containsExactlyElementsOf(c.stream().map(JournalEvent::id).toList());
        }
        assertThat(received.size()).as("at least once, a duplicate only for a lease cut by the restart").isLessThanOrEqualTo(18);
        await().atMost(Duration.ofSeconds(20)).until(() -> again.get("/api/webhooks/" + id, admin).json().getLong("pending") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(again, admin, "ivr_webhook_latency_seconds_count",
                "subscription=\"" + id + "\"") >= 16);
        assertThat(metric(again, admin, "ivr_webhook_deliveries_total", "result=\"delivered\"", "subscription=\"" + id + "\""))
                .isGreaterThanOrEqualTo(16);
        assertThat(again.send("DELETE", "/api/webhooks/" + id, admin, null).status()).isEqualTo(204);
        assertThat(again.get("/api/webhooks/" + id, admin).status()).isEqualTo(404);
    }

    @Test
    void theEventStreamSendsFilteredEventsAndHeartbeats() throws Exception {
        server = IvrServer.start(config());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + "/api/events/stream?types=call.ended,call.queued");
        assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/api/events/stream?types=nope")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + admin)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String l; !done.get() && (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (Exception e) {
                lines.add("!" + e);
            }
        });
        List<JournalEvent> c = call("s1", Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": heartbeat"));
        c.forEach(server.journal()::emit);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("id: " + c.get(3).id()));
        assertThat(lines).contains("event: call.queued", "id: " + c.get(1).id(), "event: call.ended")
                .doesNotContain("event: call.entered", "event: call.answered");
        String data = lines.get(lines.indexOf("id: " + c.get(3).id()) + 2);
        assertThat(new JsonObject(data.substring("data: ".length())).getString("callId")).isEqualTo("s1");
        done.set(true);
        stream.body().close();
        reader.join(Duration.ofSeconds(5));
    }
}
