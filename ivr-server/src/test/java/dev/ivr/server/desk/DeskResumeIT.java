package dev.ivr.server.desk;

import dev.ivr.server.IvrServer;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.testing.ServerPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No silent gap in an agent's desk messages: they are numbered per agent in the cluster; a desktop that reconnects,
 * here to the other server, gets what it missed meanwhile, or a fresh snapshot when it missed more than is kept.
 */
@Tag("integration")
class DeskResumeIT {
    static final String PASSWORD = "correct horse battery";
    ServerPair servers;

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aDesktopThatReconnectsToAnotherServerGetsTheMessagesItMissedOrASnapshot(@TempDir Path dir) throws Exception {
        servers = ServerPair.start(dir, Map.of("IVR_CLUSTER_NAME", "resume-desk-" + UUID.randomUUID(),
                "IVR_FLOWS_WATCH", "false", "IVR_AGI_DRAIN_TIME", "1s"));
        IvrServer a = servers.a;
        IvrServer b = servers.b;
        DeskClient onA = new DeskClient(a.httpPort());
        DeskClient onB = new DeskClient(b.httpPort());
        onA.createUser(Files.readString(dir.resolve("a/admin-token")).trim(), new JsonObject().put("id", "alice")
                .put("name", "Alice Agent").put("password", PASSWORD).put("roles", new JsonArray().add("agent"))
                .put("endpoint", "PJSIP/1001").put("skills", new JsonObject().put("billing", 7)));
        String alice = onA.login("alice", PASSWORD);
        TopicScreenPops pops = new TopicScreenPops(a.hazelcast());

        long seen;
        try (DeskClient.Live desktop = onB.live(alice)) {
            long start = desktop.awaitType("agent").getLong("seq");
            pops.connected("alice", "call-1");
            pops.ended("alice", "call-1", "completed");
            seen = desktop.await(m -> "ended".equals(m.getString("type"))).getLong("seq");
            assertThat(seen).isEqualTo(start + 2);
            assertThat(desktop.awaitType("connected").getLong("seq")).isEqualTo(start + 1);
        }

        // missed while disconnected: replayed in order on the other server
        pops.connected("alice", "call-2");
        pops.ended("alice", "call-2", "caller-hangup");
        try (DeskClient.Live desktop = onA.live(alice)) {
            desktop.awaitType("agent");
            desktop.send(new JsonObject().put("type", "resume").put("since", seen));
            JsonObject last = desktop.await(m -> "ended".equals(m.getString("type")) && m.getBoolean("replay", false));
            List<JsonObject> replayed = desktop.messages.stream().filter(m -> m.getBoolean("replay", false)).toList();
            assertThat(replayed).extracting(m -> m.getLong("seq")).containsExactly(seen + 1, seen + 2);
            assertThat(replayed).extracting(m -> m.getString("callId")).containsOnly("call-2");
            assertThat(last.getString("reason")).isEqualTo("caller-hangup");
            seen = last.getLong("seq");
        }

        // more missed than the cluster keeps: a fresh snapshot and the number to go on from
        for (int i = 0; i < 100; i++) {
            pops.ended("alice", "call-" + (i + 3), "no-answer");
        }
        try (DeskClient.Live desktop = onB.live(alice)) {
            desktop.awaitType("agent");
            desktop.send(new JsonObject().put("type", "resume").put("since", seen));
            assertThat(desktop.awaitType("resync").getLong("seq")).isEqualTo(seen + 100);
            assertThat(desktop.messages).noneMatch(m -> m.getBoolean("replay", false));
        }
    }
}
