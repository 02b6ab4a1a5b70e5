package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as shipped serves the flows, and shows their state (and refused edits) over HTTP. */
@Tag("integration")
class FlowsServerIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theServerServesTheShippedFlowsAndReportsRefusedEditsOverHttp(@TempDir Path dir) throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        try (var s = Files.list(Path.of("../flows"))) {
            for (Path f : s.toList()) {
                Files.copy(f, flows.resolve(f.getFileName()));
            }
        }
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of(
                "IVR_FLOWS_DIR", flows.toString(), "IVR_FLOWS_WATCH", "false")))) {
            String token = Files.readString(dir.resolve("data/admin-token")).trim();
            // a call gets AGI commands back from the flow (no recordings, no TTS: prompts are skipped)
            CallResult r = new FakePbx("127.0.0.1", server.agiPort()).call("customer-service")
                    .caller(Caller.script().silence(6)).run(Duration.ofSeconds(30));
            assertThat(r.commandNames()).contains("ANSWER", "WAIT FOR DIGIT");
            assertThat(r.error()).isNull();

            assertThat(get(server, "/api/flows", null).statusCode()).isEqualTo(401);
            HttpResponse<String> list = get(server, "/api/flows", token);
            assertThat(list.statusCode()).isEqualTo(200);
            JsonArray all = new JsonObject(list.body()).getJsonArray("flows");
            JsonObject cs = find(all, "customer-service");
            assertThat(cs.getString("status")).isEqualTo("ok");
            String version = cs.getString("version");
            assertThat(version).hasSize(12);
            assertThat(cs.getString("loadedAt")).isNotNull();

            // a broken edit: refused on reload, the old version still served, the error visible
            Path file = flows.resolve("customer-service.yaml");
            Files.writeString(file, Files.readString(file).replace("fallback: operator", "fallback: operatr"));
            HttpResponse<String> reload = post(server, "/api/flows/customer-service/reload", token);
            assertThat(reload.statusCode()).isEqualTo(409);
            JsonObject after = new JsonObject(reload.body());
            assertThat(after.getString("status")).isEqualTo("error");
            assertThat(after.getString("version")).isEqualTo(version);
            assertThat(after.getString("lastError")).matches(".*customer-service\\.yaml:\\d+:\\d+: node 'main-menu' goes to "
                    + "'operatr'.*did you mean 'operator'\\?");
            assertThat(find(new JsonObject(get(server, "/api/flows", token).body()).getJsonArray("flows"),
                    "customer-service").getString("status")).isEqualTo("error");
            CallResult still = new FakePbx("127.0.0.1", server.agiPort()).call("customer-service")
                    .caller(Caller.script().silence(6)).run(Duration.ofSeconds(30));
            assertThat(still.commandNames()).contains("ANSWER", "WAIT FOR DIGIT");
            assertThat(post(server, "/api/flows/no-such/reload", token).statusCode()).isEqualTo(404);
        }
    }

    static JsonObject find(JsonArray flows, String name) {
        for (int i = 0; i < flows.size(); i++) {
            if (flows.getJsonObject(i).getString("name").equals(name)) {
                return flows.getJsonObject(i);
            }
        }
        throw new AssertionError("no flow " + name + " in " + flows);
    }

    static HttpResponse<String> get(IvrServer s, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(IvrServer s, String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
