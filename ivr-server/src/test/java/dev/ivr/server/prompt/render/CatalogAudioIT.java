package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.voice.Prerenderer;
import dev.ivr.server.tts.Synthesizer;
import dev.ivr.server.tts.engines.TtsEngines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Every prompt of every catalog under prompts/ (and every number segment of every language),
 * rendered by the real engines (MaryTTS for English, eSpeak NG for Hungarian, German, Italian
 * and Spanish) into what Asterisk plays, then checked: format header,
 * sample rate, duration, not silence, no clipping, no click at the ends. And the cache: a
 * second render of all of them costs no synthesis.
 */
@Tag("integration")
class CatalogAudioIT {
    static final Path PROMPTS = Path.of("..", "prompts").toAbsolutePath().normalize();
    @TempDir
    static Path cacheDir;
    static TtsEngines mary;
    static final AtomicInteger SYNTHESES = new AtomicInteger();
    /** Length of MaryTTS's own output per text, to compare the rendered duration with. */
    static final Map<String, Long> RAW_MILLIS = new ConcurrentHashMap<>();
    static PromptRenderer renderer;
    static PromptCatalog catalog;
    static Say say;

    @BeforeAll
    static void start() {
        mary = TtsEngines.start(ConfigLoader.load(Map.of()).tts());
        assertThat(mary.mary().awaitReady(5, TimeUnit.MINUTES)).as("MaryTTS starts").isTrue();
        boolean espeak = mary.espeak().awaitReady(1, TimeUnit.MINUTES);
        if (!espeak && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("eSpeak NG is needed in CI (.ci/setup installs espeak-ng): " + mary.espeak().health());
        }
        Assumptions.assumeTrue(espeak, "eSpeak NG not installed (apt-get install espeak-ng): the languages it speaks are not checked");
        Synthesizer counting = new Synthesizer() { // the seam that counts syntheses
            @Override
            public Optional<String> voiceFor(String language) {
                return mary.voiceFor(language);
            }

            @Override
            public boolean isReady() {
                return mary.isReady();
            }

            @Override
            public boolean isReady(String voice) {
                return mary.isReady(voice);
            }

            @Override
            public Pcm synthesize(String text, String voice) {
                SYNTHESES.incrementAndGet();
                Pcm raw = mary.synthesize(text, voice);
                RAW_MILLIS.put(voice + "\u0000" + text, raw.durationMillis());
                return raw;
            }
        };
        renderer = new PromptRenderer(counting, new PromptCache(cacheDir, List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16),
                SharedAudio.NONE));
        catalog = PromptCatalog.load(PROMPTS);
        say = new Say(() -> catalog, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        renderer.close();
    }

    @Test
    void everyPromptRendersToPlayableAudioAndTheSecondRenderCostsNoSynthesis() throws Exception {
        assertThat(catalog.prompts("en")).as("prompts/en has catalogs").isNotEmpty();
        List<Prerenderer.Item> items = Prerenderer.items(catalog, renderer, say);
        for (String lang : List.of("en", "hu", "de", "it", "es")) {
            assertThat(catalog.prompts(lang)).as("prompts/" + lang).isNotEmpty();
            assertThat(items.stream().filter(i -> i.description().startsWith(lang + "/")).count()).as(lang + " items")
                    .isGreaterThanOrEqualTo(catalog.prompts(lang).size() + Say.segments(lang).size() - 10);
        }
        List<String> keys = new ArrayList<>();
        Map<String, String> textOf = new ConcurrentHashMap<>();
        for (Prerenderer.Item item : items) {
            keys.add(item.start().get().get(2, TimeUnit.MINUTES));
        }
        int synthesised = SYNTHESES.get();
        assertThat(synthesised).isPositive();

        // the same again: everything comes from the cache
        for (Prerenderer.Item item : items) {
            item.start().get().get(1, TimeUnit.MINUTES);
        }
        assertThat(SYNTHESES.get()).isEqualTo(synthesised);

        assertSoftly(soft -> {
            for (int i = 0; i < items.size(); i++) {
                String what = items.get(i).description();
                try {
                    byte[] wavBytes = Files.readAllBytes(renderer.cache().file(keys.get(i), AsteriskFormat.WAV));
                    ByteBuffer h = ByteBuffer.wrap(wavBytes).order(ByteOrder.LITTLE_ENDIAN);
                    soft.assertThat(new String(wavBytes, 0, 4)).as(what + " RIFF").isEqualTo("RIFF");
                    soft.assertThat(h.getShort(20)).as(what + " PCM").isEqualTo((short) 1);
                    soft.assertThat(h.getShort(22)).as(what + " mono").isEqualTo((short) 1);
                    soft.assertThat(h.getInt(24)).as(what + " 8 kHz").isEqualTo(8000);
                    soft.assertThat(h.getShort(34)).as(what + " 16-bit").isEqualTo((short) 16);
                    Pcm wav = Wav.read(wavBytes);
                    Pcm wide = AsteriskFormat.SLN16.decode(Files.readAllBytes(renderer.cache().file(keys.get(i),
                            AsteriskFormat.SLN16)));
                    // both formats hold the same speech
                    soft.assertThat(Math.abs(wav.durationMillis() - wide.durationMillis())).as(what + " durations agree")
                            .isLessThanOrEqualTo(1);
                    // a spoken prompt: at least 150 ms, and no longer than what the voice said
                    soft.assertThat(wav.durationMillis()).as(what + " duration").isGreaterThanOrEqualTo(150);
                    // not silence: loud enough where it speaks
                    soft.assertThat(wav.rmsDbfs()).as(what + " level").isGreaterThan(-35);
                    // no clipping
                    soft.assertThat(20 * Math.log10(wav.peak() / 32768.0)).as(what + " peak")
                            .isLessThanOrEqualTo(Mastering.PEAK_CEILING_DBFS + 0.1);
                    // no click: it starts and ends at (near) zero
                    soft.assertThat(Math.abs(wav.samples()[0])).as(what + " first sample").isLessThan(330);
                    soft.assertThat(Math.abs(wav.samples()[wav.length() - 1])).as(what + " last sample").isLessThan(330);
                } catch (Exception e) {
                    soft.fail(what + ": " + e);
                }
            }
        });
        // durations follow what the voice said: never longer, and trimmed by no more than silence
        for (Map.Entry<String, Long> e : RAW_MILLIS.entrySet()) {
            String[] voiceAndText = e.getKey().split("\u0000", 2);
            String key = PromptKey.forText(voiceAndText[0], voiceAndText[1]);
            Pcm wav = Wav.read(Files.readAllBytes(renderer.cache().file(key, AsteriskFormat.WAV)));
            assertThat(wav.durationMillis()).as(e.getKey()).isLessThanOrEqualTo(e.getValue() + 5)
                    .isGreaterThan(e.getValue() / 3);
            int chars = voiceAndText[1].length();
            if (chars >= 20) { // a plausible length for the text: some 12-15 characters a second at 160 words a minute
                assertThat(wav.durationMillis()).as("length of " + e.getKey()).isBetween(chars * 25L, chars * 200L);
            }
        }
        textOf.clear();
    }
}
