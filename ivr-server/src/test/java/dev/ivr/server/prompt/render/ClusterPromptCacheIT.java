package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.testing.MemberPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Two Hazelcast members on loopback: what one server rendered, the other copies instead of synthesising. */
@Tag("integration")
class ClusterPromptCacheIT {
    @TempDir
    static Path dir;
    static MemberPair members;
    static ClusterMember a;
    static ClusterMember b;

    @BeforeAll
    static void start() {
        members = MemberPair.start(dir);
        a = members.a;
        b = members.b;
    }

    @AfterAll
    static void stop() {
        if (members != null) {
            members.close();
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
    @Test
    void aTextRenderedAheadIsRenderedByTheServerThatClaimedItAndCopiedByTheOther() throws Exception {
        FakeSynthesizer ttsA = new FakeSynthesizer();
        FakeSynthesizer ttsB = new FakeSynthesizer();
        TtsPromptAudio onA = server(a, ttsA, "a-ahead");
        TtsPromptAudio onB = server(b, ttsB, "b-ahead");
        try {
            // both start with the same greetings to render ahead; A claims the first, B gives way
            CompletableFuture<Void> holdA = new CompletableFuture<>();
            ttsA.hold = holdA;
            CompletableFuture<String> firstOnA = onA.renderer().ahead("Hello Emma, welcome back.", "fake-voice");
            await().atMost(Duration.ofSeconds(30)).until(() -> b.hazelcast().getMap(HazelcastSharedAudio.CLAIMS)
                    .containsKey(PromptKey.forText("fake-voice", "Hello Emma, welcome back.")));
            assertThatThrownBy(() -> onB.renderer().ahead("Hello Emma, welcome back.", "fake-voice").get())
                    .hasCauseInstanceOf(PromptRenderer.RenderedElsewhere.class);
            holdA.complete(null);
            firstOnA.get();
            assertThat(ttsA.count()).isEqualTo(1);
            assertThat(ttsB.count()).isZero();
            // B's caller gets A's audio, copied, not synthesised
            assertThat(onB.fileFor("Hello Emma, welcome back.", "en")).isPresent();
            assertThat(ttsB.count()).isZero();
            // a text nobody claimed is B's to render
            assertThat(onB.renderer().ahead("Hello Noah, welcome back.", "fake-voice").get()).isNotNull();
            assertThat(ttsB.count()).isEqualTo(1);
        } finally {
            onA.renderer().close();
            onB.renderer().close();
        }
    }
}
