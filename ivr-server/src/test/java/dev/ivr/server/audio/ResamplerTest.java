package dev.ivr.server.audio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static dev.ivr.server.audio.Signals.amplitudeAt;
import static dev.ivr.server.audio.Signals.db;
import static dev.ivr.server.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResamplerTest {

    @ParameterizedTest(name = "{0} Hz -> {1} Hz keeps a 1 kHz tone")
    @CsvSource({"16000,8000", "22050,8000", "44100,8000", "48000,16000", "8000,16000", "16000,16000"})
    void passBandToneKeepsItsLevelAndLength(int from, int to) {
        Pcm in = tone(1000, from, 1.0, 0.5);
        Pcm out = Resampler.resample(in, to);
        assertThat(out.sampleRate()).isEqualTo(to);
        assertThat(out.length()).isCloseTo(to, within(1));
        // away from the edges, the tone's amplitude is within 0.1 dB
        double a = amplitudeAt(out, 1000, to / 10, to - to / 10);
        assertThat(db(a / 0.5)).isCloseTo(0, within(0.1));
    }

    @Test
    void toneAboveTheNewNyquistIsRemovedNotFoldedBack() {
        // 5 kHz cannot exist at 8 kHz: without a low-pass it would alias to 3 kHz
        Pcm out = Resampler.resample(tone(5000, 16000, 1.0, 0.5), 8000);
        assertThat(db(amplitudeAt(out, 3000, 800, 7200) / 0.5)).isLessThan(-70);
        assertThat(out.rmsDbfs(800, 7200)).isLessThan(-70);
    }

    @Test
    void upsamplingMakesNoImages() {
        // 3 kHz at 8 kHz would image at 5 kHz when upsampled without filtering
        Pcm out = Resampler.resample(tone(3000, 8000, 1.0, 0.5), 16000);
        assertThat(db(amplitudeAt(out, 5000, 1600, 14400) / 0.5)).isLessThan(-70);
        assertThat(db(amplitudeAt(out, 3000, 1600, 14400) / 0.5)).isCloseTo(0, within(0.2));
    }

    @Test
    void outputIsAlignedWithInput() {
        // an impulse in the middle stays in the middle: the filter's delay is compensated
        short[] s = new short[1600];
        s[800] = 20000;
        Pcm out = Resampler.resample(new Pcm(s, 16000), 8000);
        int maxAt = 0;
        for (int i = 0; i < out.length(); i++) {
            if (Math.abs(out.samples()[i]) > Math.abs(out.samples()[maxAt])) {
                maxAt = i;
            }
        }
        assertThat(maxAt).isEqualTo(400);
    }
}
