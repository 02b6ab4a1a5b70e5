package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.speech.Speech;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ivr.server.speech.audiosocket.EndOfSpeech.Event.MAX_DURATION;
import static dev.ivr.server.speech.audiosocket.EndOfSpeech.Event.NO_INPUT;
import static dev.ivr.server.speech.audiosocket.EndOfSpeech.Event.SPEECH_ENDED;
import static dev.ivr.server.speech.audiosocket.EndOfSpeech.Event.SPEECH_STARTED;
import static org.assertj.core.api.Assertions.assertThat;

class EndOfSpeechTest {
    final EndOfSpeech vad = new EndOfSpeech(Duration.ofSeconds(2), Duration.ofMillis(600), Duration.ofSeconds(5), 12);

    /** Events with the frame index at which they happened. */
    private List<String> run(byte[] audio) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i * 320 < audio.length; i++) {
            byte[] f = java.util.Arrays.copyOfRange(audio, i * 320, i * 320 + 320);
            EndOfSpeech.Event e = vad.feed(f, f.length);
            if (e != EndOfSpeech.Event.NONE) {
                events.add(e + "@" + i);
            }
        }
        return events;
    }

    @Test
    void silenceEndsAsNoInputAtTheTimeout() {
        assertThat(run(Speech.silence(5000))).containsExactly(NO_INPUT + "@99");
    }

    @Test
    void anUtteranceEndsAfterTheConfiguredSilence() {
        // 1 s silence, 800 ms word, 200 ms pause, 400 ms word, then silence
        byte[] audio = Speech.concat(Speech.silence(1000), Speech.word(800), Speech.silence(200), Speech.word(400),
                Speech.silence(3000));
        // speech starts 60 ms into the first word; ends with the 30th quiet frame (600 ms) after the second word
        assertThat(run(audio)).containsExactly(SPEECH_STARTED + "@52", SPEECH_ENDED + "@149");
    }

    @Test
    void endlessTalkStopsAtTheMaximumDuration() {
        // the first 100 ms only measure the line; then 60 ms to start; 5 s later it is cut
        assertThat(run(Speech.word(8000))).containsExactly(SPEECH_STARTED + "@7", MAX_DURATION + "@254");
    }

    @Test
    void steadyBackgroundNoiseIsNotSpeech() {
        Random r = new Random(1);
        byte[] noise = new byte[16 * 3000];
        for (int i = 0; i < noise.length / 2; i++) {
            short s = (short) (r.nextGaussian() * 150); // about -47 dBFS
            noise[2 * i] = (byte) s;
            noise[2 * i + 1] = (byte) (s >> 8);
        }
        assertThat(run(noise)).containsExactly(NO_INPUT + "@99");
    }
}
