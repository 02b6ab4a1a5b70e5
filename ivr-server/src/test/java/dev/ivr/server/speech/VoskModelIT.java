package dev.ivr.server.speech;

import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.speech.vosk.VoskRecognizers;
import dev.ivr.server.tts.marytts.MaryTts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recognition with a real Vosk model: runs only when IVR_TEST_VOSK_MODEL names an English model
 * directory (none ships with ivr; e.g. vosk-model-small-en-us-0.15). MaryTTS says the words,
 * the audio goes through the same 8 kHz path as AudioSocket audio.
 */
@EnabledIfEnvironmentVariable(named = "IVR_TEST_VOSK_MODEL", matches = ".+")
@Tag("integration")
class VoskModelIT {

    private static byte[] spoken(String text) throws Exception {
        MaryTts tts = MaryTts.start(ConfigLoader.load(Map.of()).tts());
        assertThat(tts.awaitReady(5, TimeUnit.MINUTES)).isTrue();
        Pcm pcm = Mastering.master(tts.synthesize(text, tts.voiceFor("en").orElseThrow()), 8000);
        return Speech.concat(Speech.silence(300), Wav.raw(pcm), Speech.silence(300));
    }

    @Test
    void recognisesAPhraseOfTheGrammarAndFreeText() throws Exception {
        VoskRecognizers vosk = new VoskRecognizers(Map.of("en", Path.of(System.getenv("IVR_TEST_VOSK_MODEL"))));
        assertThat(vosk.status("en").available()).as(vosk.status("en").detail()).isTrue();
        try (Recognizer r = vosk.open("en", List.of("sales", "technical support", "billing"))) {
            byte[] audio = spoken("technical support");
            for (int off = 0; off < audio.length; off += 320) {
                r.accept(java.util.Arrays.copyOfRange(audio, off, Math.min(audio.length, off + 320)),
                        Math.min(320, audio.length - off));
            }
            assertThat(r.finish().text()).isEqualTo("technical support");
        }
        try (Recognizer r = vosk.open("en", List.of())) {
            byte[] audio = spoken("one two three");
            r.accept(audio, audio.length);
            assertThat(r.finish().text()).contains("two");
        }
        vosk.close();
    }
}
