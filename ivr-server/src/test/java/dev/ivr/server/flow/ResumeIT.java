package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.cluster.HazelcastCheckpoints;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two servers in one cluster: server A dies under a call; Asterisk's dialplan calls again with
 * the same unique id, reaching server B, which resumes at the last checkpointed node.
 */
@Tag("integration")
class ResumeIT {
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

    @ParameterizedTest(name = "checkpoint durability {0}")
    @ValueSource(strings = {"async", "backup-ack"})
    void aCallResumesOnAnotherServerAtTheLastCheckpointedNode(String durability, @TempDir Path dir) throws Exception {
        Path calendars = dir.resolve("calendars.yaml"); // open around the clock, so the test does not depend on the time
        Files.writeString(calendars, "calendars:\n  support:\n    time-zone: UTC\n    open:\n      mon-sun: \"00:00-24:00\"\n");
        String cluster = "resume-" + UUID.randomUUID();
        Map<String, String> common = Map.of("IVR_CLUSTER_NAME", cluster, "IVR_FLOWS_CALENDARS", calendars.toString(),
                "IVR_FLOWS_WATCH", "false", "IVR_AGI_DRAIN_TIME", "1s", "IVR_HTTP_ENABLED", "false",
                "IVR_ROUTING_ENABLED", "false", "IVR_FLOWS_CHECKPOINT_DURABILITY", durability);
        a = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("a")), common));
        int port = a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        var bEnv = new java.util.HashMap<>(common);
        bEnv.put("IVR_CLUSTER_MEMBERS", "127.0.0.1:" + port);
        b = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("b")), bEnv));
        await().until(() -> b.hazelcast().getCluster().getMembers().size() == 2);

        // on A: the language menu (no audio here, so straight to its input): 1 = English; then the
        // caller is in the main menu when A dies
        CompletableFuture<Void> never = new CompletableFuture<>();
        FakeCall first = new FakePbx("127.0.0.1", a.agiPort()).call("customer-service").callerId("+3619999999")
                .caller(Caller.script().press("1").hold(never)).start();
        HazelcastCheckpoints checkpoints = new HazelcastCheckpoints(b.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        // a liveness bound, generous: the first call on a fresh server under a loaded 2-core machine
        await().atMost(Duration.ofSeconds(90)).until(() -> checkpoints.load(first.uniqueId())
                .filter(cp -> cp.contains("\"node\":\"main-menu\"")).isPresent());
        String saved = checkpoints.load(first.uniqueId()).orElseThrow();
        assertThat(saved).contains("\"path\":[\"check-hours\",\"identify-caller\",\"greet-anonymous\",\"language-menu\","
                + "\"set-english\"]");

        // the checkpoint's backup is on B once migrations are over (the cluster is "safe"); killing A
        // sooner loses the partitions still moving, which backups do not protect against
        await().atMost(Duration.ofSeconds(60)).until(() -> b.hazelcast().getPartitionService().isClusterSafe());
        // A crashes: its cluster member is terminated (no graceful leave), its AGI sockets cut
        a.hazelcast().getLifecycleService().terminate();
        a.stop();
        a = null;
        first.hangUpNow(); // the PBX sees its AGI connection gone
        first.await(Duration.ofSeconds(30));

        // the dialplan calls again, same unique id, now reaching B: 3 = sales, and on from there
        CallResult resumed = new FakePbx("127.0.0.1", b.agiPort()).call("customer-service").callerId("+3619999999")
                .uniqueId(first.uniqueId()).caller(Caller.script().press("3").silence()).run(Duration.ofSeconds(30));
        // had it started over, "3" would be an invalid key in the language menu; resumed at the
        // main menu it is sales, whose routing fails here (routing off), so the operator
        assertThat(resumed.execs("Dial")).extracting(c -> c.raw()).anyMatch(c -> c.contains("Local/100@from-ivr"));
        assertThat(resumed.commands("WAIT FOR DIGIT")).hasSize(1);
        await().until(() -> checkpoints.load(first.uniqueId()).isEmpty()); // a call that ended leaves no checkpoint
    }
}
