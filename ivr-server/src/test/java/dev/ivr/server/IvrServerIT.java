package dev.ivr.server;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole server in-process: cluster member, H2 database, FastAGI, HTTP. */
@Tag("integration")
class IvrServerIT {
    @TempDir
    static Path data;
    static IvrServer server;
    static FakePbx pbx;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        // as an older version (or a umask of 022) left it: readable by everyone
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = IvrServer.start(TestConfigs.server(data));
        pbx = new FakePbx("127.0.0.1", server.agiPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void diagnosticScriptAnswersAndSaysWhichNodeTookTheCall() {
        CallResult r = pbx.call("diag").caller(Caller.script()).run(Duration.ofSeconds(20));
        assertThat(r.commandNames()).containsSubsequence("ANSWER", "VERBOSE", "SET VARIABLE", "STREAM FILE", "SAY ALPHA",
                "HANGUP");
        assertThat(r.variable("IVR_STATUS")).isEqualTo("OK");
        assertThat(r.variable("IVR_NODE")).isEqualTo(server.nodeName());
        assertThat(r.commands("VERBOSE").get(0).args().get(0))
                .contains("node " + server.nodeName()).contains("took call " + r.uniqueId());
        assertThat(r.commands("SAY ALPHA").get(0).args().get(0)).isEqualTo(server.nodeName());
    }

    @Test
    void theDataDirectoryAndItsSecretsAreTheServersUserAlone() throws IOException {
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("db"))).isEqualTo("rwx------");
        try (var files = Files.list(data.resolve("db"))) {
            assertThat(files.toList()).as("the H2 database's files").isNotEmpty()
                    .allSatisfy(f -> assertThat(mode(f)).as("%s", f).isEqualTo("rw-------"));
        }
        assertThat(mode(data.resolve("admin-token"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("pin-pepper"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("outbox"))).isEqualTo("rwx------");
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void healthReportsEveryComponent() throws Exception {
        HttpResponse<String> r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("status")).isEqualTo("DEGRADED"); // TTS is off in tests
        JsonObject c = body.getJsonObject("components");
        assertThat(c.fieldNames()).contains("agi", "hazelcast", "database", "tts");
        assertThat(c.getJsonObject("agi").getString("status")).isEqualTo("UP");
        assertThat(c.getJsonObject("hazelcast").getString("status")).isEqualTo("UP");
        assertThat(c.getJsonObject("database").getString("status")).isEqualTo("UP");
        assertThat(c.getJsonObject("tts").getString("status")).isEqualTo("DOWN");
    }

    @Test
    void metricsNeedATokenAndShowCallsAndCommandLatency() throws Exception {
        pbx.call("diag").run(Duration.ofSeconds(20));
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "not-the-token").statusCode()).isEqualTo(401);
        String token = Files.readString(data.resolve("admin-token")).trim();
        HttpResponse<String> r = get("/metrics", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body())
                .contains("ivr_calls_active{")
                .containsPattern("ivr_calls_total\\{.*outcome=\"completed\".*} [1-9]")
                .contains("ivr_agi_command_seconds_bucket{command=\"ANSWER\"")
                .contains("le=\"0.002\"")
                // the server's own turn before each command, with buckets fine enough for a 2 ms target
                .containsPattern("ivr_agi_response_seconds_count\\{command=\"ANSWER\",node=\"[^\"]+\"} [1-9]")
                .containsPattern("ivr_agi_response_seconds_bucket\\{command=\"ANSWER\",node=\"[^\"]+\",le=\"0.0015\"}");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
