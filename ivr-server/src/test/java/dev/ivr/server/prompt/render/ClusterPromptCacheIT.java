package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two Hazelcast members on loopback: what one server rendered, the other copies instead of synthesising. */
@Tag("integration")
class ClusterPromptCacheIT {
    @TempDir
    static Path dir;
    static ClusterMember a;
    static ClusterMember b;

    @BeforeAll
    static void start() {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_MEMBERS", "127.0.0.1",
                "IVR_CLUSTER_PORT", Integer.toString(FreePorts.pick()))).cluster();
        a = ClusterMember.start(cluster, "a", dir);
        b = ClusterMember.start(cluster, "b", dir);
        await().atMost(Duration.ofMinutes(1)).until(() -> a.hazelcast().getCluster().getMembers().size() == 2);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static TtsPromptAudio server(ClusterMember member, FakeSynthesizer tts, String name) {
        PromptCache cache = new PromptCache(dir.resolve(name), List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16),
                new HazelcastSharedAudio(member.hazelcast(), 64));
        return new TtsPromptAudio(new PromptRenderer(tts, cache), Delivery.directory(cache, null), Duration.ofSeconds(30),
                new SimpleMeterRegistry());
    }

    @Test
    void aPromptIsSynthesisedOncePerCluster() {
        FakeSynthesizer ttsA = new FakeSynthesizer();
        FakeSynthesizer ttsB = new FakeSynthesizer();
        TtsPromptAudio onA = server(a, ttsA, "a");
        TtsPromptAudio onB = server(b, ttsB, "b");
        try {
            String fileA = onA.fileFor("Hello Anna, your appointment is confirmed.", "en").orElseThrow();
            String fileB = onB.fileFor("Hello Anna, your appointment is confirmed.", "en").orElseThrow();
            assertThat(ttsA.count()).isEqualTo(1);
            assertThat(ttsB.count()).isZero();
            assertThat(fileB).startsWith(dir.resolve("b").toString());
            assertThat(Path.of(fileB + ".wav")).hasSameBinaryContentAs(Path.of(fileA + ".wav"));
            assertThat(Path.of(fileB + ".sln16")).hasSameBinaryContentAs(Path.of(fileA + ".sln16"));
        } finally {
            onA.renderer().close();
            onB.renderer().close();
        }
    }
}
