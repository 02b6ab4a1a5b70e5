package dev.ivr.server.speech;

import dev.ivr.server.audio.Dsp;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;

/**
 * What a telephone line does to a caller's voice before Asterisk hands it over as 8 kHz slin:
 * G.711 mu-law coding (PCMU, the usual codec of SIP trunks and the PSTN) and, optionally, line
 * noise. For speech tests and the recognition benchmark.
 */
public final class PhoneLine {
    private PhoneLine() {
    }

    /** Through G.711 mu-law and back (Java Sound's codec). */
    public static Pcm ulaw(Pcm pcm) {
        if (pcm.sampleRate() != 8000) {
            throw new IllegalArgumentException("a phone line carries 8 kHz, got " + pcm.sampleRate());
        }
        AudioFormat linear = new AudioFormat(8000, 16, 1, true, false);
        byte[] raw = Wav.raw(pcm);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(raw), linear, pcm.length());
             AudioInputStream coded = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, in);
             AudioInputStream back = AudioSystem.getAudioInputStream(AudioFormat.Encoding.PCM_SIGNED,
                     new AudioInputStream(new ByteArrayInputStream(coded.readAllBytes()),
                             new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false), pcm.length()))) {
            byte[] decoded = back.readAllBytes();
            AudioFormat f = back.getFormat();
            short[] s = new short[decoded.length / 2];
            for (int i = 0; i < s.length; i++) {
                int lo = f.isBigEndian() ? decoded[2 * i + 1] : decoded[2 * i];
                int hi = f.isBigEndian() ? decoded[2 * i] : decoded[2 * i + 1];
                s[i] = (short) ((lo & 0xff) | (hi << 8));
            }
            return new Pcm(s, 8000);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds white noise {@code snrDb} below the speech's active level (the level while it speaks),
     * over the whole recording (the pauses too, as on a real line). Seeded: the same every run.
     */
    public static Pcm noise(Pcm pcm, double snrDb, long seed) {
        float[] x = Dsp.toFloat(pcm.samples());
        double speech = Dsp.activeRms(x, pcm.sampleRate());
        double sigma = speech / Math.pow(10, snrDb / 20);
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.max(-1, Math.min(1, x[i] + r.nextGaussian() * sigma));
        }
        return new Pcm(Dsp.toShort(x), pcm.sampleRate());
    }
}
