package dev.ivr.server.crm.http;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.testing.CapturedLogs;
import dev.ivr.server.testing.SampleCustomers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRM store inside a whole server (H2 default database): the shipped sample customers,
 * the store the flows get, and the HTTP API the agent desktop reads.
 */
@Tag("integration")
class CrmHttpIT {
    static final String AGENT = "agent-token-0123456789";
    static final String MONITOR = "monitor-token-0123456789";
    static final String SUPERVISOR = "supervisor-token-0123456789";
    static final Path SAMPLE = Path.of("..", "config", "sample-customers.csv");
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
                    - name: desk
                      roles: [agent]
                      agent: agent-7
                      token: %s
                    - name: prometheus
                      roles: [monitor]
                      token: %s
                    - name: floor
                      roles: [supervisor]
                      token: %s
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                  attributes:
                    - {name: balance_band, type: enum, values: [low, medium, high]}
                    - {name: contract_end, type: date}
                """.formatted(AGENT, MONITOR, SUPERVISOR));
        Map<String, String> env = new HashMap<>();
        env.put("IVR_NODE_NAME", "crm-http-" + UUID.randomUUID().toString().substring(0, 8));
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
        assertThat(r.created()).isEqualTo(12);
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        for (int i = 1; i <= 3; i++) {
            server.crmStore().record(new Interaction("1740819600." + i, "3612345678", "1000", "customer-service", "1",
                    t.plusSeconds(i * 3600L), t.plusSeconds(i * 3600L + 120), List.of("welcome", "identify", "menu"),
                    Map.of("menu", "2", "pin", "***"), "C1001", "OK", "billing", "agent-7", Duration.ofSeconds(15),
                    Duration.ofSeconds(90), Interaction.Outcome.ROUTED, null));
        }
        // recording hands the interactions to the store's writer, which commits them within its linger
        ((JdbcCrmStore) server.crmStore()).awaitRecorded(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theServerGivesFlowsAStoreThatKnowsTheSampleCustomers() {
        Identification id = server.crmStore().identify("3612345678");
        assertThat(id.status()).isEqualTo(Identification.Status.IDENTIFIED);
        assertThat(id.customers().get(0).id()).isEqualTo("C1001");
        assertThat(id.customers().get(0).name()).isEqualTo("Anna Kovács");
        assertThat(server.crmStore().identify("06 20 555 0104").status()).isEqualTo(Identification.Status.AMBIGUOUS);
        assertThat(server.crmStore().authenticate("10001", "1234", "call-x").status()).isEqualTo(Authentication.Status.OK);
        assertThat(server.crmStore().authenticate("10011", "1122", "call-x").status()).as("blocked sample account")
                .isEqualTo(Authentication.Status.FAILED);
    }

    @Test
    void aCustomerNeedsATokenWithAnAgentOrSupervisorRole() throws Exception {
        assertThat(get("/api/customers/C1001", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/customers/C1001", "wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(get("/api/customers/C1001", MONITOR).statusCode()).isEqualTo(403);
        assertThat(get("/api/customers/C1001/interactions", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/customers/C1001/interactions", MONITOR).statusCode()).isEqualTo(403);
        assertThat(get("/api/customers/C1001", AGENT).statusCode()).isEqualTo(200);
        assertThat(get("/api/customers/C1001/interactions", SUPERVISOR).statusCode()).isEqualTo(200);
    }

    @Test
    void aCustomerComesWithNumbersAndAccountsButNoPins() throws Exception {
        HttpResponse<String> r = get("/api/customers/C1001", AGENT);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject c = new JsonObject(r.body());
        assertThat(c.getString("id")).isEqualTo("C1001");
        assertThat(c.getString("name")).isEqualTo("Anna Kovács");
        assertThat(c.getString("language")).isEqualTo("hu");
        assertThat(c.getString("tier")).isEqualTo("gold");
        assertThat(c.getJsonObject("attributes").getString("balance_band")).isEqualTo("high");
        assertThat(c.getJsonArray("phones")).containsExactly("+3612345678", "+36301234567");
        JsonObject account = c.getJsonArray("accounts").getJsonObject(0);
        assertThat(account.getString("number")).isEqualTo("10001");
        assertThat(account.getString("status")).isEqualTo("active");
        assertThat(account.getBoolean("hasPin")).isTrue();
        assertThat(r.body()).doesNotContain("argon2").doesNotContain("\"1234\"");
        assertThat(get("/api/customers/C404", AGENT).statusCode()).isEqualTo(404);
        assertThat(get("/api/customers/C404/interactions", AGENT).statusCode()).isEqualTo(404);
    }

    @Test
    void theContactHistoryIsPagedNewestFirst() throws Exception {
        JsonObject page1 = new JsonObject(get("/api/customers/C1001/interactions?limit=2", AGENT).body());
        JsonArray items = page1.getJsonArray("items");
        assertThat(items).hasSize(2);
        assertThat(items.getJsonObject(0).getString("callId")).isEqualTo("1740819600.3");
        assertThat(items.getJsonObject(1).getString("callId")).isEqualTo("1740819600.2");
        assertThat(items.getJsonObject(0).getString("outcome")).isEqualTo("ROUTED");
        assertThat(items.getJsonObject(0).getDouble("waitSeconds")).isEqualTo(15.0);
        assertThat(items.getJsonObject(0).getJsonArray("path")).containsExactly("welcome", "identify", "menu");
        assertThat(items.getJsonObject(0).getJsonObject("inputs").getString("pin")).isEqualTo("***");
        assertThat(page1.getString("next")).isEqualTo("/api/customers/C1001/interactions?limit=2&offset=2");

        JsonObject page2 = new JsonObject(get(page1.getString("next"), AGENT).body());
        assertThat(page2.getJsonArray("items")).hasSize(1);
        assertThat(page2.getJsonArray("items").getJsonObject(0).getString("callId")).isEqualTo("1740819600.1");
        assertThat(page2.getString("next")).isNull();

        assertThat(get("/api/customers/C1001/interactions?limit=0", AGENT).statusCode()).isEqualTo(400);
        assertThat(get("/api/customers/C1001/interactions?limit=x", AGENT).body()).contains("limit must be a whole number");
        assertThat(get("/api/customers/C1001/interactions?offset=-1", AGENT).statusCode()).isEqualTo(400);
    }

    @Test
    void twoBadPagingParametersGetOneClearAnswerAndNothingBreaks() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            HttpResponse<String> r = get("/api/customers/C1001/interactions?limit=-1&offset=-5", AGENT);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("error")).contains("limit must be a whole number from 1 to 200")
                    .contains("offset must be a whole number from 0");
            Thread.sleep(200); // a second answer to the same request would be logged after the first went out
            assertThat(logs.lines()).noneMatch(l -> l.contains("already sent") || l.startsWith("ERROR"));
        }
    }

    @Test
    void callersCanBeLookedUpByNumberAndCallsById() throws Exception {
        JsonObject found = new JsonObject(get("/api/customers?phone=" + URLEncoder.encode("06 1 234 5678",
                StandardCharsets.UTF_8), AGENT).body());
        assertThat(found.getJsonArray("customers")).hasSize(1);
        assertThat(found.getJsonArray("customers").getJsonObject(0).getString("id")).isEqualTo("C1001");
        assertThat(get("/api/customers", AGENT).statusCode()).isEqualTo(400);
        JsonObject call = new JsonObject(get("/api/interactions/1740819600.2", AGENT).body());
        assertThat(call.getString("customerId")).isEqualTo("C1001");
        assertThat(call.getString("agentId")).isEqualTo("agent-7");
        assertThat(get("/api/interactions/nope", AGENT).statusCode()).isEqualTo(404);
    }

    @Test
    void healthAndMetricsShowTheCrmStore() throws Exception {
        JsonObject crm = new JsonObject(get("/health", null).body()).getJsonObject("components").getJsonObject("crm");
        assertThat(crm.getString("status")).isEqualTo("UP");
        server.crmStore().identify("3612345678");
        String metrics = get("/metrics", MONITOR).body();
        assertThat(metrics).contains("ivr_crm_request_seconds_count{").contains("op=\"identify\"")
                .contains("ivr_crm_identify_total{").contains("result=\"IDENTIFIED\"")
                .contains("ivr_crm_authenticate_total{").contains("ivr_crm_interactions_total{")
                .contains("result=\"written\"").contains("ivr_crm_outbox_pending{");
    }

    @Test
    void attributesAreChangedBySupervisorsCheckedByTypeAllOrNothing() throws Exception {
        assertThat(get("/api/attributes", AGENT).body()).contains("\"balance_band\"").contains("\"enum\"");
        assertThat(patch("/api/customers/C1002/attributes", "{\"contract_end\": \"2027-01-31\"}", AGENT).statusCode())
                .as("agents read, supervisors change").isEqualTo(403);
        assertThat(patch("/api/customers/C1002/attributes", "{}", null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = patch("/api/customers/C1002/attributes",
                "{\"contract_end\": \"2027-01-31\", \"balance_band\": \"hgih\", \"x\": {\"nested\": 1}}", SUPERVISOR);
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonObject body = new JsonObject(bad.body());
        assertThat(body.getString("error")).startsWith("nothing changed: ");
        assertThat(body.getJsonObject("fields").getString("attributes.balance_band"))
                .contains("'hgih' is not one of low, medium, high; did you mean 'high'?");
        assertThat(body.getJsonObject("fields").getString("attributes.x")).contains("a value is text, a number");
        assertThat(new JsonObject(get("/api/customers/C1002", AGENT).body()).getJsonObject("attributes").getString("contract_end"))
                .as("nothing half-applied").isNull();
        HttpResponse<String> ok = patch("/api/customers/C1002/attributes",
                "{\"contract_end\": \"2027-01-31\", \"balance_band\": \"HIGH\", \"open_ticket\": null}", SUPERVISOR);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonObject attrs = new JsonObject(get("/api/customers/C1002", AGENT).body()).getJsonObject("attributes");
        assertThat(attrs.getString("contract_end")).isEqualTo("2027-01-31");
        assertThat(attrs.getString("balance_band")).isEqualTo("high");
        assertThat(attrs.containsKey("open_ticket")).isFalse();
        assertThat(patch("/api/customers/NOPE/attributes", "{\"contract_end\": \"2027-01-31\"}", SUPERVISOR).statusCode())
                .isEqualTo(404);
    }

    @Test
    void segmentsAreSavedCheckedAndCountedBySupervisors() throws Exception {
        String renewal = "{\"expression\": \"attr.balance_band == \\\"high\\\" && customer.tier in [\\\"gold\\\", \\\"platinum\\\"]\"}";
        assertThat(send("PUT", "/api/segments/high-value", renewal, AGENT).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/segments", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = send("PUT", "/api/segments/high-value",
                "{\"expression\": \"attr.balance_bnd == \\\"high\\\"\"}", SUPERVISOR);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getJsonObject("fields").getString("expression"))
                .startsWith("1:5: no attribute 'balance_bnd'").contains("did you mean 'balance_band'?");
        HttpResponse<String> saved = send("PUT", "/api/segments/high-value", renewal, SUPERVISOR);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(new JsonObject(saved.body()).getString("updatedBy")).isEqualTo("floor");
        HttpResponse<String> count = send("GET", "/api/segments/high-value/count?sample=2", null, SUPERVISOR);
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        JsonObject c = new JsonObject(count.body());
        assertThat(c.getLong("count")).isEqualTo(4); // C1001, C1003, C1008, C1012 in the sample file
        assertThat(c.getJsonArray("sample").stream().map(o -> ((JsonObject) o).getString("id")).toList())
                .containsExactly("C1001", "C1003");
        assertThat(send("GET", "/api/segments/high-value/count?sample=1000", null, SUPERVISOR).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/segments", null, SUPERVISOR).body()).contains("high-value");
        assertThat(send("DELETE", "/api/segments/high-value", null, SUPERVISOR).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/segments/high-value/count", null, SUPERVISOR).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
