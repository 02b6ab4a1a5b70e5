package dev.ivr.server.process;

import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server whose Hazelcast member dies (as it does after an OutOfMemoryError in one of its threads) says DOWN
 * and tells whoever runs it, once: {@code ivr-server run} then exits so that systemd restarts it.
 */
@Tag("integration")
class MemberLossIT {
    @Test
    void aDeadClusterMemberMakesTheServerDownAndFatal(@TempDir Path dir) throws Exception {
        List<String> fatal = new CopyOnWriteArrayList<>();
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"),
                Map.of("IVR_AGI_DRAIN_TIME", "1s")), fatal::add)) {
            String admin = Files.readString(dir.resolve("data/admin-token")).strip();
            assertThat(health(server, admin).statusCode()).isEqualTo(200);

            server.hazelcast().getLifecycleService().terminate();

            await().atMost(Duration.ofSeconds(30)).until(() -> !fatal.isEmpty());
            assertThat(fatal).hasSize(1);
            assertThat(fatal.get(0)).contains("Hazelcast member stopped");
            HttpResponse<String> r = health(server, admin);
            assertThat(r.statusCode()).isEqualTo(503);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(body.getJsonObject("components").getJsonObject("hazelcast").getString("status")).isEqualTo("DOWN");
            assertThat(body.getJsonObject("components").getJsonObject("process").getString("detail"))
                    .contains("Hazelcast member stopped");
        }
        assertThat(fatal).as("a normal stop is not fatal").hasSize(1);
    }

    static HttpResponse<String> health(IvrServer server, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
