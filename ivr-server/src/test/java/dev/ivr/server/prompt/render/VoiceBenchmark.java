package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.voice.Prerenderer;
import dev.ivr.server.prompt.voice.Voice;
import dev.ivr.server.tts.marytts.MaryTts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Voice figures for docs/benchmarks.md: MaryTTS synthesis time per second of audio, the whole
 * render (synthesis + mastering + files), what a call waits on a cache miss and on a hit, and
 * a spoken amount joined from cached segments. Run:
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am install -DskipTests
 * ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.prompt.render.VoiceBenchmark
 * </pre>
 */
public final class VoiceBenchmark {
    private static final String[] NAMES = {"Anna Kovacs", "Peter Smith", "Maria Garcia", "John O'Brien", "Li Wei",
            "Fatima Khan", "Lars Nilsson", "Chidi Okafor", "Yuki Tanaka", "Olga Petrova"};

    public static void main(String[] args) throws Exception {
        int misses = Integer.parseInt(System.getProperty("misses", "40"));
        int hits = Integer.parseInt(System.getProperty("hits", "20000"));
        Path dir = Files.createTempDirectory("voice-bench");
        MaryTts mary = MaryTts.start(ConfigLoader.load(Map.of()).tts());
        if (!mary.awaitReady(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("MaryTTS did not start");
        }
        String voice = mary.voiceFor("en").orElseThrow();
        // warm-up: JIT and MaryTTS's own caches
        for (int i = 0; i < 5; i++) {
            Mastering.master(mary.synthesize("Warming up number " + i + ", please wait.", voice), 8000);
        }

        // 1. synthesis alone, per second of audio
        double synthSeconds = 0;
        double audioSeconds = 0;
        double masterSeconds = 0;
        for (int i = 0; i < misses; i++) {
            String text = "Hello " + NAMES[i % NAMES.length] + ", your balance is " + (100 + i * 37) + " dollars.";
            long t0 = System.nanoTime();
            Pcm raw = mary.synthesize(text, voice);
            long t1 = System.nanoTime();
            for (AsteriskFormat f : AsteriskFormat.values()) {
                f.encode(Mastering.master(raw, f.sampleRate()));
            }
            long t2 = System.nanoTime();
            synthSeconds += (t1 - t0) / 1e9;
            masterSeconds += (t2 - t1) / 1e9;
            audioSeconds += raw.durationSeconds();
        }

        // 2. what a call waits: miss (synthesise + master + write) and hit, through PromptAudio
        PromptRenderer renderer = new PromptRenderer(mary, new PromptCache(dir, List.of(AsteriskFormat.WAV,
                AsteriskFormat.SLN16), SharedAudio.NONE));
        TtsPromptAudio audio = new TtsPromptAudio(renderer, Delivery.directory(renderer.cache(), null),
                Duration.ofSeconds(30), new SimpleMeterRegistry());
        long[] missNanos = new long[misses];
        for (int i = 0; i < misses; i++) {
            String text = "Good morning " + NAMES[i % NAMES.length] + ", thank you for calling about order " + (5000 + i) + ".";
            long t0 = System.nanoTime();
            audio.fileFor(text, "en").orElseThrow();
            missNanos[i] = System.nanoTime() - t0;
        }
        String cachedText = "Good morning Anna Kovacs, thank you for calling about order 5000.";
        long[] hitNanos = new long[hits];
        for (int i = 0; i < hits; i++) {
            long t0 = System.nanoTime();
            audio.fileFor(cachedText, "en").orElseThrow();
            hitNanos[i] = System.nanoTime() - t0;
        }

        // 3. a spoken amount from pre-rendered segments: new amount (join) and repeated (hit)
        Say say = new Say(PromptCatalog::empty, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
        Prerenderer.run(Prerenderer.items(PromptCatalog.empty(), renderer, say), (d, t, w) -> { });
        long synthBefore = renderer.synthesisCount();
        long[] joinNanos = new long[misses];
        for (int i = 0; i < misses; i++) {
            BigDecimal amount = new BigDecimal(1234 + i * 97).movePointLeft(2);
            long t0 = System.nanoTime();
            say.fileFor(say.amount(amount, "USD", "en").orElseThrow()).orElseThrow();
            joinNanos[i] = System.nanoTime() - t0;
        }
        long[] joinHitNanos = new long[hits / 10];
        for (int i = 0; i < joinHitNanos.length; i++) {
            long t0 = System.nanoTime();
            say.fileFor(say.amount(new BigDecimal("12.34"), "USD", "en").orElseThrow()).orElseThrow();
            joinHitNanos[i] = System.nanoTime() - t0;
        }
        if (renderer.synthesisCount() != synthBefore) {
            throw new IllegalStateException("spoken amounts needed a synthesis");
        }
        renderer.close();

        System.out.printf("| measure | value |%n|---|---|%n");
        System.out.printf("| MaryTTS synthesis (cmu-slt-hsmm, 48 kHz out), per second of audio | %.0f ms |%n",
                synthSeconds / audioSeconds * 1000);
        System.out.printf("| mastering to wav 8 kHz + sln16 16 kHz, per second of audio | %.0f ms |%n",
                masterSeconds / audioSeconds * 1000);
        System.out.printf("| cache miss as a call waits (synthesis + mastering + 2 files), %d new sentences of %.1f s | p50 %s, p99 %s |%n",
                misses, audioSeconds / misses, ms(missNanos, 50), ms(missNanos, 99));
        System.out.printf("| cache hit (%d lookups) | p50 %s, p99 %s |%n", hits, us(hitNanos, 50), us(hitNanos, 99));
        System.out.printf("| spoken amount, new (joined from cached segments, no synthesis) | p50 %s, p99 %s |%n",
                ms(joinNanos, 50), ms(joinNanos, 99));
        System.out.printf("| spoken amount, repeated (cache hit) | p50 %s, p99 %s |%n", us(joinHitNanos, 50), us(joinHitNanos, 99));
        System.exit(0);
    }

    private static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static String ms(long[] v, int p) {
        return String.format("%.0f ms", pct(v, p) / 1e6);
    }

    private static String us(long[] v, int p) {
        return String.format("%.0f µs", pct(v, p) / 1e3);
    }
}
