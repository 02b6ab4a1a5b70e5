package dev.ivr.server.audio;

/**
 * Turns synthesised or recorded audio into what a caller should hear: offset removed,
 * surplus silence trimmed, resampled with an anti-aliasing filter, loudness normalised to
 * one level for every prompt (active-speech RMS to {@link #TARGET_RMS_DBFS}, never above
 * {@link #PEAK_CEILING_DBFS}), and short fades at both ends so nothing clicks.
 */
public final class Mastering {
    /** Loudness every prompt is brought to (active speech RMS, dBFS). */
    public static final double TARGET_RMS_DBFS = -20;
    /** Highest peak allowed after normalisation (dBFS): no clipping, headroom for codecs. */
    public static final double PEAK_CEILING_DBFS = -1;
    /** Fade length at each end. */
    public static final int FADE_MILLIS = 8;
    /** Silence kept before the first and after the last sound. */
    public static final int LEAD_MILLIS = 40;
    public static final int TAIL_MILLIS = 80;
    /** Level below which the ends count as silence. */
    static final double SILENCE_DBFS = -50;

    private Mastering() {
    }

    /** Masters {@code in} at {@code toRate}. Audio with no sound at all comes out empty. */
    public static Pcm master(Pcm in, int toRate) {
        float[] x = Dsp.toFloat(in.samples());
        Dsp.removeDc(x);
        x = Dsp.trim(x, in.sampleRate(), SILENCE_DBFS, in.sampleRate() * LEAD_MILLIS / 1000,
                in.sampleRate() * TAIL_MILLIS / 1000);
        x = Resampler.resample(x, in.sampleRate(), toRate);
        normalise(x, toRate);
        Dsp.fade(x, toRate * FADE_MILLIS / 1000);
        return new Pcm(Dsp.toShort(x), toRate);
    }

    static void normalise(float[] x, int sampleRate) {
        double rms = Dsp.activeRms(x, sampleRate);
        double peak = Dsp.peak(x);
        if (rms <= 0 || peak <= 0) {
            return;
        }
        double g = Math.pow(10, TARGET_RMS_DBFS / 20) / rms;
        double ceiling = Math.pow(10, PEAK_CEILING_DBFS / 20);
        g = Math.min(g, ceiling / peak);
        Dsp.gain(x, g);
    }
}
