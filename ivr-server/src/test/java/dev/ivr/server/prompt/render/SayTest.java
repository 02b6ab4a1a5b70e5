package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.say.Spoken;
import dev.ivr.server.prompt.voice.Prerenderer;
import dev.ivr.server.tts.Synthesizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SayTest {
    @TempDir
    Path dir;
    final AtomicInteger syntheses = new AtomicInteger();
    PromptRenderer renderer;
    Say say;

    /** 200 ms of tone per text: enough to tell joined lengths apart. */
    final Synthesizer tts = new Synthesizer() {
        @Override
        public Optional<String> voiceFor(String language) {
            return language.startsWith("en") ? Optional.of("v") : Optional.empty();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public Pcm synthesize(String text, String voice) {
            syntheses.incrementAndGet();
            short[] s = new short[3200];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (4000 * Math.sin(2 * Math.PI * 300 * i / 16000.0));
            }
            return new Pcm(s, 16000);
        }
    };

    @BeforeEach
    void setUp() {
        renderer = new PromptRenderer(tts, new PromptCache(dir.resolve("cache"), List.of(AsteriskFormat.WAV,
                AsteriskFormat.SLN16), SharedAudio.NONE));
        PromptCatalog catalog = PromptCatalog.empty();
        say = new Say(() -> catalog, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        renderer.close();
    }

    @Test
    void segmentFilesPlayAValueFromItsSegmentsWithoutMakingANewFile() throws Exception {
        Prerenderer.run(Prerenderer.items(PromptCatalog.empty(), renderer, say), (d, t, w) -> { });
        long filesBefore;
        try (var s = Files.walk(dir.resolve("cache"))) {
            filesBefore = s.filter(Files::isRegularFile).count();
        }
        int synthesesBefore = syntheses.get();
        List<String> files = say.number(1234, "en").flatMap(say::segmentFiles).orElseThrow();
        assertThat(files).hasSize(say.number(1234, "en").orElseThrow().segments().size()).hasSizeGreaterThan(1);
        assertThat(files).allSatisfy(f -> assertThat(Path.of(f + ".wav")).exists());
        try (var s = Files.walk(dir.resolve("cache"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(filesBefore);
        }
        assertThat(syntheses.get()).isEqualTo(synthesesBefore);
    }

    @Test
    void afterPreRenderingNumbersAndDigitsCostNoSynthesis() throws Exception {
        Prerenderer.Result r = Prerenderer.run(Prerenderer.items(PromptCatalog.empty(), renderer, say), (d, t, w) -> { });
        assertThat(r.failures()).isEmpty();
        assertThat(r.rendered()).isEqualTo(Say.segments("en").size());
        int before = syntheses.get();

        Spoken n = say.number(321, "en").orElseThrow();
        assertThat(n.text()).isEqualTo("three hundred twenty-one");
        assertThat(n.segments()).containsExactly("n.300", "n.21");
        String file = say.fileFor(n).orElseThrow();
        assertThat(say.fileFor(say.digits("4711", "en").orElseThrow())).isPresent();
        assertThat(syntheses.get()).isEqualTo(before);

        // one file: the segments one after the other with short gaps
        Pcm joined = Wav.read(Files.readAllBytes(Path.of(file + ".wav")));
        Pcm one = Wav.read(Files.readAllBytes(renderer.cache().file(
                Path.of(say.fileFor(say.number(7, "en").orElseThrow()).orElseThrow()).getFileName().toString(),
                AsteriskFormat.WAV)));
        assertThat(joined.length()).isEqualTo(2 * one.length() + 8000 * Say.GAP_MILLIS / 1000);
    }

    @Test
    void amountsAndDatesAreSpokenWholeAndCachedByContent() {
        Spoken amount = say.amount(new BigDecimal("321.05"), "USD", "en").orElseThrow();
        assertThat(amount.text()).isEqualTo("three hundred twenty-one US dollars and five");
        assertThat(amount.segments()).isEmpty();
        int before = syntheses.get();
        assertThat(say.fileFor(amount)).isPresent();
        assertThat(say.fileFor(amount)).isPresent();
        assertThat(syntheses.get()).isEqualTo(before + 1);
        assertThat(say.date(LocalDate.of(2025, 3, 4), "en").orElseThrow().text())
                .isEqualTo("Tuesday, March fourth, twenty twenty-five");
        assertThat(say.segmentFiles(say.dayAndMonth(LocalDate.of(2025, 3, 4), "en").orElseThrow()).orElseThrow()).hasSize(1);
    }

    @Test
    void theCatalogNamesUnitsAndSaysHowTheLanguageTellsTheTime(@TempDir Path prompts) throws Exception {
        Files.createDirectories(prompts.resolve("hu"));
        Files.writeString(prompts.resolve("hu/say.yaml"), """
                say.currency.HUF: forint
                say.time: "{m, plural, =0 {{hour} óra} other {{hour} óra {minute} perc}}"
                say.n.5: {text: öt}
                """);
        PromptCatalog catalog = PromptCatalog.load(prompts);
        Say hu = new Say(() -> catalog, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
        Spoken amount = hu.amount(new BigDecimal("12345"), "HUF", "hu").orElseThrow();
        assertThat(amount.text()).isEqualTo("tizenkétezer-háromszáznegyvenöt forint");
        assertThat(amount.written()).isEqualTo("12 345 forint");
        assertThat(hu.time(java.time.LocalTime.of(9, 5), "hu").orElseThrow().text()).isEqualTo("kilenc óra öt perc");
        assertThat(hu.number(5, "hu").orElseThrow().text()).isEqualTo("öt");
        assertThat(hu.fileFor(amount)).as("no Hungarian voice in this test").isEmpty();
    }

    @Test
    void aCountedNounTakesTheGenderItsCatalogGives(@TempDir Path prompts) throws Exception {
        Files.createDirectories(prompts.resolve("de"));
        Files.writeString(prompts.resolve("de/say.yaml"), "say.count.minute: feminine\n");
        PromptCatalog catalog = PromptCatalog.load(prompts);
        Say de = new Say(() -> catalog, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
        Spoken one = de.count(1, "minute", "de").orElseThrow();
        assertThat(one.text()).isEqualTo("eine");
        assertThat(one.segments()).containsExactly("n.f.1");
        assertThat(de.count(3, "minute", "de").orElseThrow().segments()).containsExactly("n.3");
        assertThat(de.count(1, "hour", "de").orElseThrow().text()).as("a noun the catalog does not name").isEqualTo("eins");

        Files.writeString(prompts.resolve("de/say.yaml"), "say.count.minute: weiblich\n");
        assertThatThrownBy(() -> PromptCatalog.load(prompts)).isInstanceOf(dev.ivr.server.prompt.PromptCatalogException.class)
                .hasMessageContaining("'say.count.minute' is the grammatical gender of a counted noun: masculine, feminine or neuter");
    }

    @Test
    void theShippedCatalogsCountMinutesInTheirLanguagesGender() {
        PromptCatalog shipped = PromptCatalog.load(Path.of("..", "prompts"));
        Say s = new Say(() -> shipped, renderer, Delivery.directory(renderer.cache(), null), Duration.ofSeconds(30));
        assertThat(s.count(1, "minute", "de").orElseThrow().text()).isEqualTo("eine");
        assertThat(s.count(1, "minute", "it").orElseThrow().text()).isEqualTo("un");
        assertThat(s.count(1, "minute", "es").orElseThrow().text()).isEqualTo("un");
        assertThat(s.count(21, "minute", "es").orElseThrow().text()).isEqualTo("veintiún");
        assertThat(s.count(1, "minute", "en").orElseThrow().text()).isEqualTo("one");
        assertThat(s.count(1, "minute", "hu").orElseThrow().text()).isEqualTo("egy");
    }

    @Test
    void aLanguageWithoutRulesOrAudioGetsNothing() {
        assertThat(say.number(5, "xx")).isEmpty();
        Spoken hu = say.number(5, "hu").orElseThrow();
        assertThat(hu.text()).isEqualTo("öt");
        assertThat(say.fileFor(hu)).as("no voice, no recording").isEmpty();
        assertThat(Say.missingSegments(PromptCatalog.empty(), "hu", false)).contains("n.5", "n.100", "n.1000");
        assertThat(Say.missingSegments(PromptCatalog.empty(), "hu", true)).isEmpty();
    }
}
