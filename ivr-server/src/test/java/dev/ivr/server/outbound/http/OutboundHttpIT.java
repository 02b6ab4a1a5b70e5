package dev.ivr.server.outbound.http;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.testing.SampleCustomers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound API inside a whole server (H2): the do-not-call list, campaigns (start, pause,
 * resume, stop, progress), reminders and events with their idempotency key, the per-campaign
 * metrics, and the roles on every route.
 */
@Tag("integration")
class OutboundHttpIT {
    static final String AGENT = "agent-token-0123456789";
    static final String SUPERVISOR = "supervisor-token-0123456789";
    static final String ADMIN = "admin-token-0123456789abc";
    @TempDir
    static Path data;
    static IvrServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path yaml = data.resolve("ivr.yaml");
        Files.writeString(yaml, """
                http:
                  tokens:
                    - {name: desk, roles: [agent], agent: agent-7, token: %s}
                    - {name: floor, roles: [supervisor], token: %s}
                    - {name: ops, roles: [admin], token: %s}
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                outbound:
                  campaigns:
                    - {name: renewal, segment: two, flow: customer-service, reason: contract-renewal}
                    - {name: payment-reminder, segment: two, flow: customer-service, reason: payment-late}
                    - {name: listed, flow: customer-service, reason: payment-late}
                  events:
                    - {type: payment.missed, campaign: payment-reminder, delay: 1h}
                """.formatted(AGENT, SUPERVISOR, ADMIN));
        Map<String, String> env = new HashMap<>();
        env.put("IVR_NODE_NAME", "outbound-http-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("IVR_NODE_DATA_DIR", data.resolve("data").toString());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "test-" + UUID.randomUUID());
        env.put("IVR_CLUSTER_PORT", "0");
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_SPEECH_PORT", "0");
        IvrConfig config = ConfigLoader.load(yaml, env);
        server = IvrServer.start(config);
        assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
        CustomerImport.Report r = SampleCustomers.importInto(server);
        assertThat(r.rejected()).isEmpty();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theDoNotCallListTakesAnyFormatAllOrNoneAndOnlyAnAdminTakesANumberOff() throws Exception {
        assertThat(send("GET", "/api/dnc", null, AGENT).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/dnc", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = send("POST", "/api/dnc", "{\"numbers\": [\"+36 1 555 0101\", \"call me\"]}", SUPERVISOR);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getJsonObject("fields").fieldNames()).containsExactly("numbers[1]");
        assertThat(new JsonObject(send("GET", "/api/dnc/check?number=%2B3615550101", null, SUPERVISOR).body())
                .getBoolean("listed")).as("nothing of a refused request is kept").isFalse();

        HttpResponse<String> ok = send("POST", "/api/dnc", "{\"numbers\": [\"+36 1 555 0101\", \"06 1 555 0102\"], \"reason\": \"asked\"}",
                SUPERVISOR);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getInteger("added")).isEqualTo(2);
        HttpResponse<String> imported = send("POST", "/api/dnc/import?campaign=renewal", "number\n06 1 555 0103\n# a comment\n+36 1 555 0101\n",
                SUPERVISOR);
        assertThat(imported.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(imported.body()).getInteger("added")).isEqualTo(2);
        JsonObject check = new JsonObject(send("GET", "/api/dnc/check?number=0036%201%20555%200101", null, SUPERVISOR).body());
        assertThat(check.getString("number")).isEqualTo("+3615550101");
        assertThat(check.getJsonArray("entries")).hasSize(2);
        HttpResponse<String> csv = send("GET", "/api/dnc/export", null, SUPERVISOR);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("number,scope,").contains("+3615550102,*,api,\"asked\"", "+3615550103,renewal,import");
        assertThat(send("DELETE", "/api/dnc?number=%2B3615550102", null, SUPERVISOR).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/dnc?number=%2B3615550102", null, ADMIN).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/dnc?number=%2B3615550102", null, ADMIN).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/dnc?campaign=no%20such", null, SUPERVISOR).statusCode()).isEqualTo(400);
    }

    @Test
    void aCampaignIsStartedPausedResumedAndStoppedWithItsProgress() throws Exception {
        assertThat(send("PUT", "/api/segments/two", "{\"expression\": \"customer.id in [\\\"C1001\\\", \\\"C1002\\\"]\"}", SUPERVISOR)
                .statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/campaigns", null, AGENT).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/campaigns/renewal/pause", null, SUPERVISOR).statusCode()).as("never started").isEqualTo(409);
        assertThat(send("GET", "/api/campaigns/renewl", null, SUPERVISOR).statusCode()).isEqualTo(404);
        HttpResponse<String> started = send("POST", "/api/campaigns/renewal/start", null, SUPERVISOR);
        assertThat(started.statusCode()).isEqualTo(200);
        JsonObject s = new JsonObject(started.body());
        assertThat(s.getString("status")).isEqualTo("running");
        assertThat(s.getJsonObject("started").getInteger("members")).isEqualTo(2);
        assertThat(s.getInteger("total")).isEqualTo(2);
        assertThat(s.getInteger("remaining")).isEqualTo(2);
        assertThat(s.getValue("contactRate")).as("no attempt finished yet").isNull();
        assertThat(new JsonObject(send("POST", "/api/campaigns/renewal/pause", null, SUPERVISOR).body()).getString("status"))
                .isEqualTo("paused");
        assertThat(new JsonObject(send("POST", "/api/campaigns/renewal/resume", null, SUPERVISOR).body()).getString("status"))
                .isEqualTo("running");
        assertThat(new JsonObject(send("POST", "/api/campaigns/renewal/stop", null, SUPERVISOR).body()).getString("status"))
                .isEqualTo("stopped");
        JsonObject list = new JsonObject(send("GET", "/api/campaigns", null, SUPERVISOR).body());
        assertThat(list.getJsonArray("campaigns")).hasSize(3);
        String metrics = send("GET", "/metrics", null, ADMIN).body();
        // (a reminder of another test may have added a third contact)
        assertThat(metrics).containsPattern("ivr_campaign_contacts\\{campaign=\"renewal\",node=\"[^\"]+\",state=\"pending\"} [23]\\.0")
                .containsPattern("ivr_campaign_status\\{campaign=\"renewal\",node=\"[^\"]+\",status=\"stopped\"} 1\\.0");
    }

    @Test
    void aReminderArmsOneCustomerAtAGivenTimeAndBadFieldsAreNamed() throws Exception {
        String at = OffsetDateTime.now().plusDays(1).withNano(0).toString();
        assertThat(field(send("POST", "/api/reminders", "{\"campaign\": \"renewl\", \"customer\": \"C1003\", \"at\": \"" + at + "\"}",
                SUPERVISOR))).isEqualTo("campaign");
        assertThat(field(send("POST", "/api/reminders", "{\"campaign\": \"renewal\", \"customer\": \"C1003\", \"at\": \"tomorrow\"}",
                SUPERVISOR))).isEqualTo("at");
        assertThat(field(send("POST", "/api/reminders", "{\"campaign\": \"renewal\", \"customer\": \"C9999\", \"at\": \"" + at + "\"}",
                SUPERVISOR))).isEqualTo("customer");
        assertThat(field(send("POST", "/api/reminders", "{\"campaign\": \"renewal\", \"customer\": \"C1003\", \"phone\": \"+44 20 7946 0958\","
                + " \"at\": \"" + at + "\"}", SUPERVISOR))).isEqualTo("customer");
        assertThat(send("POST", "/api/reminders", "{\"campaign\": \"renewal\", \"customer\": \"C1003\", \"at\": \"" + at + "\"}", AGENT)
                .statusCode()).isEqualTo(403);
        HttpResponse<String> ok = send("POST", "/api/reminders", "{\"campaign\": \"renewal\", \"phone\": \"+44 20 7946 0958\", \"at\": \""
                + at + "\"}", SUPERVISOR);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(ok.body()).getString("customer")).isEqualTo("C1003");
        try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                "select state, next_at, phone from campaign_contacts where campaign = 'renewal' and customer_id = 'C1003'")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("pending");
                assertThat(rs.getObject(2, OffsetDateTime.class).toInstant()).isEqualTo(OffsetDateTime.parse(at).toInstant());
                assertThat(rs.getString(3)).isEqualTo("+442079460958");
            }
        }
    }

    @Test
    void anEventArmsTheConfiguredCampaignOncePerKey() throws Exception {
        HttpResponse<String> unknown = send("POST", "/api/events", "{\"type\": \"payment.mised\", \"key\": \"k1\", \"customer\": \"C1001\"}",
                SUPERVISOR);
        assertThat(field(unknown)).isEqualTo("type");
        assertThat(unknown.body()).contains("payment.missed");
        assertThat(field(send("POST", "/api/events", "{\"type\": \"payment.missed\", \"customer\": \"C1001\"}", SUPERVISOR)))
                .isEqualTo("key");
        Instant before = Instant.now();
        HttpResponse<String> first = send("POST", "/api/events", "{\"type\": \"payment.missed\", \"key\": \"inv-42\", \"phone\": \"06 1 234 5679\"}",
                SUPERVISOR);
        assertThat(first.statusCode()).isEqualTo(202);
        JsonObject o = new JsonObject(first.body());
        assertThat(o.getString("customer")).isEqualTo("C1002");
        assertThat(o.getString("campaign")).isEqualTo("payment-reminder");
        assertThat(o.getBoolean("duplicate")).isFalse();
        assertThat(Instant.parse(o.getString("dueAt"))).isAfterOrEqualTo(before.plus(Duration.ofHours(1)).minusSeconds(1));
        HttpResponse<String> again = send("POST", "/api/events", "{\"type\": \"payment.missed\", \"key\": \"inv-42\", \"phone\": \"06 1 234 5679\"}",
                SUPERVISOR);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(again.body()).getBoolean("duplicate")).isTrue();
        assertThat(new JsonObject(again.body()).getString("dueAt")).isEqualTo(o.getString("dueAt"));
        try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                "select count(*) from outbound_events where idempotency_key = 'inv-42'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aCsvContactListIsImportedAllOrNothingOverHttp() throws Exception {
        String bad = "customer,phone\nC1001,\nC9999,\n,+36 1 555 9999\n";
        assertThat(sendCsv("/api/campaigns/listed/contacts", bad, AGENT).statusCode()).isEqualTo(403);
        assertThat(sendCsv("/api/campaigns/listed/contacts", bad, null).statusCode()).isEqualTo(401);
        assertThat(sendCsv("/api/campaigns/listd/contacts", bad, SUPERVISOR).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/campaigns/listed/contacts", "{}", SUPERVISOR).statusCode()).as("not CSV").isEqualTo(415);
        HttpResponse<String> refused = sendCsv("/api/campaigns/listed/contacts", bad, SUPERVISOR);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonObject fields = new JsonObject(refused.body()).getJsonObject("fields");
        assertThat(fields.fieldNames()).containsExactly("line 3", "line 4");
        assertThat(fields.getString("line 3")).startsWith("customer: no customer 'C9999'");
        assertThat(fields.getString("line 4")).startsWith("phone: no customer has the number +3615559999");
        try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                "select count(*) from campaign_contacts where campaign = 'listed'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing of a refused list").isZero();
        }
        // C1002 by a number in the national format, C1002 again by id; C1003 with a number to call
        HttpResponse<String> ok = sendCsv("/api/campaigns/listed/contacts",
                "customer,phone\nC1001,\n,06 1 234 5679\nC1002,\nC1003,+44 20 7946 0000\n", SUPERVISOR);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonObject report = new JsonObject(ok.body());
        assertThat(report.getInteger("added")).isEqualTo(3);
        assertThat(report.getInteger("duplicates")).isEqualTo(1);
        HttpResponse<String> started = send("POST", "/api/campaigns/listed/start", null, SUPERVISOR);
        assertThat(started.statusCode()).isEqualTo(200);
        JsonObject s = new JsonObject(started.body());
        assertThat(s.getString("status")).isEqualTo("running");
        assertThat(s.getInteger("total")).isEqualTo(3);
        send("POST", "/api/campaigns/listed/stop", null, SUPERVISOR);
        assertThat(send("GET", "/api/campaigns/listed/attempts?limit=0", null, SUPERVISOR).statusCode()).isEqualTo(400);
        assertThat(new JsonObject(send("GET", "/api/campaigns/listed/attempts", null, SUPERVISOR).body()).getJsonArray("attempts"))
                .isEmpty();
    }

    private static HttpResponse<String> sendCsv(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/csv");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return String.join(",", new JsonObject(r.body()).getJsonObject("fields").fieldNames());
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
