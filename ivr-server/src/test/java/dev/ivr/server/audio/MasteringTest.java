package dev.ivr.server.audio;

import org.junit.jupiter.api.Test;

import static dev.ivr.server.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MasteringTest {

    /** Speech-like test input: silence, a quiet tone burst with a DC offset, silence. */
    private static Pcm quietBurstWithOffset(int rate) {
        Pcm lead = Pcm.silence(rate, 500);
        Pcm burst = tone(440, rate, 1.0, 0.05);
        short[] s = lead.append(burst).append(Pcm.silence(rate, 700)).samples().clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += 1000; // DC offset
        }
        return new Pcm(s, rate);
    }

    @Test
    void normalisesTrimsAndFadesWithoutClipping() {
        Pcm out = Mastering.master(quietBurstWithOffset(16000), 8000);
        assertThat(out.sampleRate()).isEqualTo(8000);
        // the 1 s burst is kept with short margins; most of the 1.2 s silence is gone
        assertThat(out.durationMillis()).isBetween(1000L, 1000L + Mastering.LEAD_MILLIS + Mastering.TAIL_MILLIS + 10);
        assertThat(out.rmsDbfs(400, out.length() - 400)).isCloseTo(Mastering.TARGET_RMS_DBFS, within(0.3));
        // no DC step at either end: the first and last samples are (near) zero
        assertThat(Math.abs(out.samples()[0])).isLessThan(50);
        assertThat(Math.abs(out.samples()[out.length() - 1])).isLessThan(50);
        // the offset is gone
        double mean = 0;
        for (short v : out.samples()) {
            mean += v;
        }
        assertThat(Math.abs(mean / out.length())).isLessThan(100);
    }

    @Test
    void quietSignalIsBroughtToTheRmsTarget() {
        // -37 dBFS RMS in; the target is below the peak ceiling for a tone, so the RMS target decides
        Pcm out = Mastering.master(tone(300, 16000, 1.0, 0.02), 16000);
        assertThat(out.rmsDbfs(800, out.length() - 800)).isCloseTo(Mastering.TARGET_RMS_DBFS, within(0.3));
    }

    @Test
    void peaksNeverExceedTheCeiling() {
        // a quiet tone with loud clicks: the RMS target would push the clicks into clipping
        short[] s = tone(300, 16000, 1.0, 0.01).samples().clone();
        for (int i = 800; i < s.length; i += 1600) {
            s[i] = 30000;
        }
        Pcm out = Mastering.master(new Pcm(s, 16000), 8000);
        assertThat(20 * Math.log10(out.peak() / 32768.0)).isLessThanOrEqualTo(Mastering.PEAK_CEILING_DBFS + 0.05)
                .isGreaterThan(Mastering.PEAK_CEILING_DBFS - 0.5);
        assertThat(out.rmsDbfs()).isLessThan(Mastering.TARGET_RMS_DBFS);
    }

    @Test
    void silenceStaysSilentAndEmpty() {
        assertThat(Mastering.master(Pcm.silence(16000, 1000), 8000).length()).isZero();
    }
}
