package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.prompt.PromptEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static dev.ivr.server.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PromptRendererTest {
    @TempDir
    Path dir;
    FakeSynthesizer tts;
    PromptRenderer renderer;
    TtsPromptAudio audio;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        tts = new FakeSynthesizer();
        renderer = renderer(tts, dir.resolve("cache"), SharedAudio.NONE);
        audio = new TtsPromptAudio(renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30),
                new SimpleMeterRegistry());
    }

    private PromptRenderer renderer(FakeSynthesizer synth, Path cacheDir, SharedAudio shared) {
        PromptRenderer r = new PromptRenderer(synth, new PromptCache(cacheDir, List.of(AsteriskFormat.WAV,
                AsteriskFormat.SLN16), shared));
        toClose.add(r);
        return r;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void secondRenderCostsNoSynthesis() throws Exception {
        Optional<String> first = audio.fileFor("Your call is important to us.", "en");
        assertThat(tts.count()).isEqualTo(1);
        Optional<String> second = audio.fileFor("Your call is important to us.", "en");
        Optional<String> sameWithOtherBlanks = audio.fileFor("  Your call is   important to us. ", "en");
        assertThat(tts.count()).isEqualTo(1);
        assertThat(second).isEqualTo(first).isEqualTo(sameWithOtherBlanks);
        // the STREAM FILE argument is the cached file without extension; every format exists
        Path base = Path.of(first.orElseThrow());
        assertThat(base.getFileName().toString()).matches("[0-9a-f]{40}");
        Pcm wav = Wav.read(Files.readAllBytes(Path.of(base + ".wav")));
        assertThat(wav.sampleRate()).isEqualTo(8000);
        assertThat(Files.size(Path.of(base + ".sln16"))).isEqualTo(wav.length() * 4L); // 16 kHz, same duration
    }

    @Test
    void differentTextOrVoiceIsADifferentFile() {
        String a = audio.fileFor("Hello", "en").orElseThrow();
        String b = audio.fileFor("Hello!", "en").orElseThrow();
        assertThat(a).isNotEqualTo(b);
        assertThat(PromptKey.forText("v1", "Hello")).isNotEqualTo(PromptKey.forText("v2", "Hello"));
        assertThat(tts.count()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsForOneTextShareOneSynthesis() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        tts.hold = release;
        List<CompletableFuture<String>> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(renderer.text("Please hold.", "fake-voice", PromptRenderer.Priority.CALL));
        }
        release.complete(null);
        for (CompletableFuture<String> j : jobs) {
            assertThat(j.get()).isEqualTo(jobs.get(0).get());
        }
        assertThat(tts.count()).isEqualTo(1);
    }

    /** Another server of the cluster claimed every text rendered ahead of calls. */
    static final SharedAudio CLAIMED_ELSEWHERE = new SharedAudio() {
        @Override
        public Optional<byte[]> get(String name) {
            return Optional.empty();
        }

        @Override
        public void put(String name, byte[] bytes) {
        }

        @Override
        public boolean claim(String name) {
            return false;
        }
    };

    @Test
    void aCallAskingForATextQueuedAheadOfCallsHasItRenderedNext() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        tts.hold = release; // the worker is busy with a call's render
        CompletableFuture<String> first = renderer.text("First caller", "fake-voice", PromptRenderer.Priority.CALL);
        CompletableFuture<String> bela = renderer.ahead("Hello Bela", "fake-voice");
        CompletableFuture<String> anna = renderer.ahead("Hello Anna", "fake-voice");
        CompletableFuture<String> annaCalls = renderer.text("Hello Anna", "fake-voice", PromptRenderer.Priority.CALL);
        assertThat(annaCalls).isSameAs(anna); // one render, shared
        release.complete(null);
        first.get();
        assertThat(annaCalls.get()).isEqualTo(PromptKey.forText("fake-voice", "Hello Anna"));
        bela.get();
        assertThat(tts.spoken).containsExactly("First caller", "Hello Anna", "Hello Bela");
    }

    @Test
    void aTextAnotherServerClaimedIsNotRenderedAheadHereButStillForACall() throws Exception {
        FakeSynthesizer synth = new FakeSynthesizer();
        PromptRenderer r = renderer(synth, dir.resolve("other-cache"), CLAIMED_ELSEWHERE);
        assertThatThrownBy(() -> r.ahead("Hello Anna", "fake-voice").get())
                .hasCauseInstanceOf(PromptRenderer.RenderedElsewhere.class);
        assertThat(synth.count()).isZero();
        assertThat(r.isCached(PromptKey.forText("fake-voice", "Hello Anna"))).isFalse();

        // a call that asks while the text waits to be rendered ahead keeps it here: the caller is not let down
        CompletableFuture<Void> release = new CompletableFuture<>();
        synth.hold = release;
        CompletableFuture<String> busy = r.text("First caller", "fake-voice", PromptRenderer.Priority.CALL);
        CompletableFuture<String> bela = r.ahead("Hello Bela", "fake-voice");
        CompletableFuture<String> belaCalls = r.text("Hello Bela", "fake-voice", PromptRenderer.Priority.CALL);
        release.complete(null);
        busy.get();
        assertThat(belaCalls.get()).isEqualTo(bela.get()).isEqualTo(PromptKey.forText("fake-voice", "Hello Bela"));
        assertThat(synth.spoken).containsExactly("First caller", "Hello Bela");
        // and a call after another server's claim renders it (its copy was not there)
        assertThat(r.text("Hello Anna", "fake-voice", PromptRenderer.Priority.CALL).get())
                .isEqualTo(PromptKey.forText("fake-voice", "Hello Anna"));
        assertThat(synth.spoken).containsExactly("First caller", "Hello Bela", "Hello Anna");
    }

    @Test
    void overTheLatencyBudgetThePromptIsSkippedAndCachedForTheNextCaller() {
        TtsPromptAudio tight = new TtsPromptAudio(renderer, Delivery.directory(renderer.cache(), null),
                Duration.ofMillis(20), new SimpleMeterRegistry());
        CompletableFuture<Void> release = new CompletableFuture<>();
        tts.hold = release; // the engine is stuck until released
        assertThat(tight.fileFor("Anna Kovacs", "en")).isEmpty();
        release.complete(null);
        await().atMost(Duration.ofSeconds(20)).until(() -> tts.count() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> tight.fileFor("Anna Kovacs", "en").isPresent());
        assertThat(tts.count()).isEqualTo(1);
    }

    @Test
    void withoutAVoiceOrWithTtsDownNothingIsReturnedButCachedAudioStillPlays() {
        assertThat(audio.fileFor("Jó napot", "hu")).isEmpty();
        String cached = audio.fileFor("Goodbye.", "en").orElseThrow();
        tts.ready.set(false);
        assertThat(audio.fileFor("Something new", "en")).isEmpty();
        assertThat(audio.fileFor("Goodbye.", "en")).contains(cached);
        assertThat(tts.count()).isEqualTo(1);
    }

    @Test
    void catalogPromptsPreferRecordingsThenSoundsThenText() throws Exception {
        Path lang = Files.createDirectories(dir.resolve("prompts/en/audio"));
        Files.write(lang.resolve("hold.wav"), Wav.write(tone(440, 44100, 0.5, 0.2)));
        Path catalog = dir.resolve("prompts/en/main.yaml");
        PromptEntry recorded = new PromptEntry("hold", "en", "Please hold.", "audio/hold.wav", null, catalog, 1, 1);
        PromptEntry sound = new PromptEntry("bye", "en", "Goodbye.", null, "vm-goodbye", catalog, 2, 1);
        PromptEntry text = new PromptEntry("hi", "en", "Hello ${name}.", null, null, catalog, 3, 1);

        String file = audio.forPrompt(recorded, "Please hold.").orElseThrow();
        Pcm converted = Wav.read(Files.readAllBytes(Path.of(file + ".wav")));
        assertThat(converted.sampleRate()).isEqualTo(8000);
        assertThat(converted.durationMillis()).isBetween(450L, 650L);
        assertThat(audio.forPrompt(sound, "Goodbye.")).contains("vm-goodbye");
        assertThat(audio.forPrompt(text, "Hello Anna.")).isPresent();
        assertThat(tts.spoken).containsExactly("Hello Anna.");
    }

    @Test
    void directoryDeliveryMapsTheCachePathToWhereAsteriskSeesIt() {
        TtsPromptAudio mapped = new TtsPromptAudio(renderer, Delivery.directory(renderer.cache(), "/mnt/ivr-prompts/"),
                Duration.ofSeconds(30), new SimpleMeterRegistry());
        String ref = mapped.fileFor("Hello", "en").orElseThrow();
        assertThat(ref).matches("/mnt/ivr-prompts/[0-9a-f]{2}/[0-9a-f]{40}");
        String key = ref.substring(ref.lastIndexOf('/') + 1);
        assertThat(renderer.cache().file(key, AsteriskFormat.WAV)).exists();
    }

    @Test
    void httpDeliveryNamesTheWavUrl() {
        TtsPromptAudio http = new TtsPromptAudio(renderer, Delivery.http(() -> "http://ivr-1:8080/prompts/", AsteriskFormat.WAV),
                Duration.ofSeconds(30), new SimpleMeterRegistry());
        assertThat(http.fileFor("Hello", "en").orElseThrow()).matches("http://ivr-1:8080/prompts/[0-9a-f]{40}\\.wav");
    }

    @Test
    void httpDeliveryIsDescribedWithoutTheUrlsCredentials() {
        // the start-up log line: Asterisk is given the URL as configured, the log shows it without user:password@
        Delivery d = Delivery.http(() -> "http://asterisk:s3cret@ivr-1:8080/prompts", AsteriskFormat.WAV);
        assertThat(d.describe()).isEqualTo("http http://***@ivr-1:8080/prompts/<key>.wav");
        assertThat(d.reference("k")).isEqualTo("http://asterisk:s3cret@ivr-1:8080/prompts/k.wav");
    }

    @Test
    void aServerOfTheClusterCopiesWhatAnotherRenderedInsteadOfSynthesising() {
        Map<String, byte[]> clusterMap = new ConcurrentHashMap<>();
        SharedAudio shared = new SharedAudio() {
            @Override
            public Optional<byte[]> get(String name) {
                return Optional.ofNullable(clusterMap.get(name));
            }

            @Override
            public void put(String name, byte[] bytes) {
                clusterMap.put(name, bytes);
            }
        };
        FakeSynthesizer ttsA = new FakeSynthesizer();
        FakeSynthesizer ttsB = new FakeSynthesizer();
        PromptRenderer a = renderer(ttsA, dir.resolve("node-a"), shared);
        PromptRenderer b = renderer(ttsB, dir.resolve("node-b"), shared);
        TtsPromptAudio audioA = new TtsPromptAudio(a, Delivery.directory(a.cache(), null), Duration.ofSeconds(30),
                new SimpleMeterRegistry());
        TtsPromptAudio audioB = new TtsPromptAudio(b, Delivery.directory(b.cache(), null), Duration.ofSeconds(30),
                new SimpleMeterRegistry());

        String onA = audioA.fileFor("Welcome to Example Corp.", "en").orElseThrow();
        String onB = audioB.fileFor("Welcome to Example Corp.", "en").orElseThrow();
        assertThat(ttsA.count()).isEqualTo(1);
        assertThat(ttsB.count()).isZero();
        assertThat(Path.of(onB + ".wav")).exists().hasSameBinaryContentAs(Path.of(onA + ".wav"));
    }
}
