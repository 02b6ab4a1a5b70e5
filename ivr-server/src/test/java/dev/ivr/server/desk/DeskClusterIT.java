package dev.ivr.server.desk;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.server.IvrServer;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.desk.live.DeskHub;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two servers in one cluster: a desktop connected to server B gets the screen pop published on
 * server A, its agent's state changes made on A, and a supervisor on B sees a call queued on A;
 * a session opened on A works on B, and signing out on A closes the desktop on B.
 */
@Tag("integration")
class DeskClusterIT {
    static final String PASSWORD = "correct horse battery";
    IvrServer a;
    IvrServer b;

    @AfterEach
    void stop() {
        for (IvrServer s : new IvrServer[]{b, a}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void theDesktopGetsItsScreenPopWhicheverServerItIsConnectedTo(@TempDir Path dir) throws Exception {
        Map<String, String> common = Map.of("IVR_CLUSTER_NAME", "desk-" + UUID.randomUUID(), "IVR_FLOWS_WATCH", "false",
                "IVR_AGI_DRAIN_TIME", "1s", "IVR_DESK_DASHBOARD_INTERVAL", "200ms");
        a = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("a")), common));
        Map<String, String> bEnv = new HashMap<>(common);
        bEnv.put("IVR_CLUSTER_MEMBERS", "127.0.0.1:" + a.hazelcast().getCluster().getLocalMember().getAddress().getPort());
        b = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("b")), bEnv));
        await().atMost(Duration.ofSeconds(60)).until(() -> b.hazelcast().getCluster().getMembers().size() == 2);
        a.routing().service().defineQueues(List.of(QueueDefinition.builder("billing").requireSkill("billing", 5).build()));

        DeskClient onA = new DeskClient(a.httpPort());
        DeskClient onB = new DeskClient(b.httpPort());
        String adminA = Files.readString(dir.resolve("a/admin-token")).trim();
        onA.createUser(adminA, new JsonObject().put("id", "alice").put("name", "Alice Agent").put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/1001")
                .put("skills", new JsonObject().put("billing", 7)));
        onA.createUser(adminA, new JsonObject().put("id", "sam").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));

        // signed in on A; the session works on B (it lives in the cluster)
        String alice = onA.login("alice", PASSWORD);
        try (DeskClient.Live desktop = onB.live(alice)) {
            assertThat(desktop.awaitType("hello").getString("node")).isEqualTo(b.nodeName());
            assertThat(desktop.awaitType("agent").getJsonObject("agent").getString("state")).isEqualTo("LOGGED_OUT");

            // state changes made through A reach the desktop on B
            onA.post("/api/agents/alice/login", alice, null);
            onA.post("/api/agents/alice/ready", alice, null);
            desktop.await(m -> "state".equals(m.getString("type")) && "READY".equals(m.getJsonObject("agent").getString("state")));

            // the call side publishes the screen pop on A: the desktop on B shows it
            CallContext context = new CallContext("1700000001.7", "+3612345678", "customer-service", "C-1", "Jane Roe",
                    "gold", Map.of(), "OK", "billing", Map.of(), List.of("language-menu", "main-menu"), Map.of(),
                    Duration.ofSeconds(30), Duration.ofSeconds(4), "billing", "alice", Instant.now(), false);
            new TopicScreenPops(a.hazelcast()).offered("alice", context);
            JsonObject pop = desktop.awaitType("offered");
            assertThat(pop.getString("callId")).isEqualTo("1700000001.7");
            assertThat(pop.getJsonObject("context").getString("customerName")).isEqualTo("Jane Roe");
            assertThat(pop.getJsonObject("context").getJsonArray("ivrPath").stream().toList()).containsExactly("language-menu", "main-menu");
            // another agent's pop is not sent to alice
            new TopicScreenPops(a.hazelcast()).offered("bob", context);
            new TopicScreenPops(a.hazelcast()).connected("alice", "1700000001.7");
            desktop.awaitType("connected");
            assertThat(desktop.messages).filteredOn(m -> "offered".equals(m.getString("type"))).hasSize(1);

            // a supervisor on B sees a call queued on A
            String sam = onA.login("sam", PASSWORD);
            onA.post("/api/agents/alice/not-ready", alice, new JsonObject().put("reason", "break"));
            try (DeskClient.Live dashboard = onB.live(sam)) {
                dashboard.await(m -> "dashboard".equals(m.getString("type")) && waiting(m, "billing") == 0);
                a.routing().service().enqueue(CallRequest.builder("call-42", "billing").build());
                JsonObject d = dashboard.await(m -> "dashboard".equals(m.getString("type")) && waiting(m, "billing") == 1);
                assertThat(d.getString("node")).isEqualTo(b.nodeName());
                a.routing().service().cancel("call-42");
                dashboard.await(m -> "dashboard".equals(m.getString("type")) && waiting(m, "billing") == 0
                        && queue(m, "billing").getLong("abandoned") == 1);
                // a caller leaving the IVR on A is counted for the dashboard on B
                a.ivrExits().exit("customer-service", "main-menu");
                dashboard.await(m -> "dashboard".equals(m.getString("type"))
                        && m.getJsonObject("exits").getLong("totalExits") == 1);
            }

            // a ticket is good once, on any server
            String ticket = onA.post("/api/ws-ticket", alice, null).json().getString("ticket");
            onB.connect(ticket).close();
            assertThatThrownBy(() -> onA.connect(ticket)).isInstanceOf(CompletionException.class);

            // signing out on A closes the desktop on B
            assertThat(onA.post("/api/logout", alice, null).status()).isEqualTo(204);
            desktop.awaitType("session-ended");
            assertThat(desktop.closed.get()).isEqualTo((int) DeskHub.SESSION_ENDED);
        }
    }

    private static JsonObject queue(JsonObject dashboard, String id) {
        return dashboard.getJsonArray("queues").stream().map(JsonObject.class::cast)
                .filter(q -> q.getString("id").equals(id)).findFirst().orElse(new JsonObject());
    }

    private static long waiting(JsonObject dashboard, String id) {
        return queue(dashboard, id).getLong("waiting", -1L);
    }
}
