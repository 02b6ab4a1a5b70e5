package dev.ivr.server.audio;

/** Small sample-level operations on float audio (-1..1). */
public final class Dsp {
    private Dsp() {
    }

    public static float[] toFloat(short[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = s[i] / 32768f;
        }
        return f;
    }

    /** Rounds to 16 bits, clamping anything outside full scale. */
    public static short[] toShort(float[] f) {
        short[] s = new short[f.length];
        for (int i = 0; i < f.length; i++) {
            long v = Math.round(f[i] * 32768.0);
            s[i] = (short) Math.max(-32768, Math.min(32767, v));
        }
        return s;
    }

    /** Removes a constant offset (the mean), in place. */
    public static void removeDc(float[] x) {
        if (x.length == 0) {
            return;
        }
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        for (int i = 0; i < x.length; i++) {
            x[i] -= (float) mean;
        }
    }

    public static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /**
     * RMS of the active part only (10 ms blocks within 40 dB of the loudest block), so pauses
     * between words do not make a prompt look quieter than it sounds.
     */
    public static double activeRms(float[] x, int sampleRate) {
        int block = Math.max(1, sampleRate / 100);
        int blocks = (x.length + block - 1) / block;
        if (blocks == 0) {
            return 0;
        }
        double[] energy = new double[blocks];
        double max = 0;
        for (int b = 0; b < blocks; b++) {
            double sum = 0;
            int end = Math.min(x.length, (b + 1) * block);
            for (int i = b * block; i < end; i++) {
                sum += x[i] * (double) x[i];
            }
            energy[b] = sum / (end - b * block);
            max = Math.max(max, energy[b]);
        }
        double floor = max * 1e-4; // -40 dB
        double sum = 0;
        int n = 0;
        for (double e : energy) {
            if (e >= floor && e > 0) {
                sum += e;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    /** Multiplies in place. */
    public static void gain(float[] x, double g) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) g;
        }
    }

    /** Raised-cosine fade in over the first and fade out over the last {@code samples} samples, in place. */
    public static void fade(float[] x, int samples) {
        int n = Math.min(samples, x.length / 2);
        for (int i = 0; i < n; i++) {
            float g = (float) (0.5 - 0.5 * Math.cos(Math.PI * i / n));
            x[i] *= g;
            x[x.length - 1 - i] *= g;
        }
    }

    /**
     * Cuts leading and trailing silence (below {@code thresholdDbfs} in 5 ms blocks), keeping
     * {@code leadSamples} / {@code tailSamples} of it.
     */
    public static float[] trim(float[] x, int sampleRate, double thresholdDbfs, int leadSamples, int tailSamples) {
        int block = Math.max(1, sampleRate / 200);
        double threshold = Math.pow(10, thresholdDbfs / 20);
        int first = -1;
        int last = -1;
        for (int start = 0; start < x.length; start += block) {
            int end = Math.min(x.length, start + block);
            double sum = 0;
            for (int i = start; i < end; i++) {
                sum += x[i] * (double) x[i];
            }
            if (Math.sqrt(sum / (end - start)) >= threshold) {
                if (first < 0) {
                    first = start;
                }
                last = end;
            }
        }
        if (first < 0) {
            return new float[0];
        }
        int from = Math.max(0, first - leadSamples);
        int to = Math.min(x.length, last + tailSamples);
        float[] out = new float[to - from];
        System.arraycopy(x, from, out, 0, out.length);
        return out;
    }
}
