package dev.ivr.server.speech.sphinx;

import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.SphinxConfig;
import dev.ivr.server.speech.PhoneLine;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.tts.marytts.MaryTts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Sphinx4 recogniser with its real bundled model, fed 8 kHz call audio as a speech session feeds it. */
@Tag("integration")
class SphinxRecognizersIT {
    static final List<String> MENU = List.of("billing", "payments", "invoice", "pay my bill", "technical support",
            "support", "internet", "not working", "sales", "new plan", "buy a plan", "operator", "agent", "a person",
            "representative");
    static MaryTts mary;
    static SphinxRecognizers sphinx;

    @BeforeAll
    static void start() throws Exception {
        mary = MaryTts.start(ConfigLoader.load(Map.of()).tts());
        sphinx = SphinxRecognizers.start(new SphinxConfig(true, 1, 4, Duration.ofSeconds(60)));
        assertThat(mary.awaitReady(5, TimeUnit.MINUTES)).isTrue();
        assertThat(sphinx.awaitReady(2, TimeUnit.MINUTES)).as(sphinx.status("en").detail()).isTrue();
    }

    @AfterAll
    static void stop() {
        sphinx.close();
        mary.close();
    }

    static byte[] said(String text) {
        Pcm voice = Mastering.master(mary.synthesize(text, mary.voiceFor("en").orElseThrow()), 8000);
        return Wav.raw(PhoneLine.ulaw(Pcm.silence(8000, 300).append(voice).append(Pcm.silence(8000, 300))));
    }

    static Recognizer.Recognition recognise(RecognizerFactory f, List<String> phrases, byte[] slin) {
        try (Recognizer r = f.open("en", phrases)) {
            for (int off = 0; off < slin.length; off += 320) {
                r.accept(Arrays.copyOfRange(slin, off, Math.min(slin.length, off + 320)), Math.min(320, slin.length - off));
            }
            return r.finish();
        }
    }

    @Test
    void aPhraseOfTheMenuIsRecognisedFromTelephoneAudio() {
        Recognizer.Recognition r = recognise(sphinx, MENU, said("technical support"));
        assertThat(r.text()).isEqualTo("technical support");
        assertThat(r.confidence()).isGreaterThan(0.5);
    }

    @Test
    void aCallsVirtualThreadWaitsWhileAPlatformDecoderThreadDecodes() throws Exception {
        byte[] audio = said("billing");
        AtomicReference<Recognizer.Recognition> result = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> result.set(recognise(sphinx, MENU, audio)));
        caller.join(Duration.ofMinutes(1));
        assertThat(result.get().text()).isEqualTo("billing");
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
            assertThat(t.getName()).startsWith("sphinx-decoder-");
            assertThat(t.isVirtual()).isFalse();
        });
    }

    @Test
    void whatIsNotAPhraseIsNothing() {
        assertThat(recognise(sphinx, List.of("billing", "sales"), said("what are your opening hours")).isEmpty()).isTrue();
        assertThat(recognise(sphinx, MENU, new byte[16000]).isEmpty()).as("a second of silence").isTrue();
    }

    @Test
    void onlyPhrasesNotFreeTextAndOnlyWordsTheDictionaryHas() {
        assertThat(sphinx.status("en").freeText()).isFalse();
        assertThatThrownBy(() -> sphinx.open("en", List.of()))
                .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class).hasMessageContaining("phrases only");
        assertThatThrownBy(() -> sphinx.open("en", List.of("facturación", "számlázás")))
                .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class)
                .hasMessageContaining("facturación (facturación)").hasMessageContaining("számlázás");
        assertThat(recognise(sphinx, List.of("billing", "facturación"), said("billing")).text()).isEqualTo("billing");
        assertThat(sphinx.status("hu").available()).isFalse();
        assertThat(sphinx.status("en-GB").available()).isTrue();
    }

    @Test
    void untilTheModelIsLoadedTheLanguageIsLoadingAndNothingWaitsForIt() {
        // not started: nothing loads, as on a server whose model is still on its way
        try (SphinxRecognizers loading = new SphinxRecognizers(new SphinxConfig(true, 1, 4, Duration.ofSeconds(5)),
                SphinxModel.BUNDLED_EN_US, SphinxTuning.DEFAULT)) {
            assertThat(loading.state()).isEqualTo(SphinxRecognizers.State.LOADING);
            assertThat(loading.status("en").available()).isFalse();
            assertThat(loading.status("en").detail()).isEqualTo("Sphinx4 is loading its model");
            assertThatThrownBy(() -> loading.open("en", MENU)).isInstanceOf(RecognizerFactory.SpeechUnavailableException.class);
        }
    }

    @Test
    void whenEveryDecoderIsBusyAndNothingMayWaitTheUtteranceIsRefused() throws Exception {
        try (SphinxRecognizers one = SphinxRecognizers.start(new SphinxConfig(true, 1, 0, Duration.ofSeconds(60)))) {
            assertThat(one.awaitReady(2, TimeUnit.MINUTES)).isTrue();
            byte[] audio = said("sales");
            SphinxDecoder held = one.idle.take(); // the only decoder is in use
            CompletableFuture<Recognizer.Recognition> first = CompletableFuture.supplyAsync(() -> recognise(one, MENU, audio),
                    r -> Thread.ofVirtual().start(r));
            await().atMost(Duration.ofSeconds(30)).until(() -> one.executor.getActiveCount() == 1);
            assertThatThrownBy(() -> recognise(one, MENU, audio))
                    .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class).hasMessageContaining("busy");
            one.idle.add(held);
            assertThat(first.get(1, TimeUnit.MINUTES).text()).isEqualTo("sales");
        }
    }

    @Test
    void aResultThatTakesTooLongIsNothingUnderstood() throws Exception {
        try (SphinxRecognizers slow = SphinxRecognizers.start(new SphinxConfig(true, 1, 4, Duration.ofMillis(300)))) {
            assertThat(slow.awaitReady(2, TimeUnit.MINUTES)).isTrue();
            SphinxDecoder held = slow.idle.take();
            assertThat(recognise(slow, MENU, said("sales")).isEmpty()).isTrue();
            slow.idle.add(held);
        }
    }
}
