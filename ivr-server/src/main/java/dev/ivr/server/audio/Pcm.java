package dev.ivr.server.audio;

import java.util.Arrays;

/**
 * Mono 16-bit signed linear audio: the one in-memory form every conversion works on.
 *
 * @param samples    the samples (not copied: treat as read-only)
 * @param sampleRate samples per second
 */
public record Pcm(short[] samples, int sampleRate) {

    public Pcm {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
    }

    public static Pcm silence(int sampleRate, long millis) {
        return new Pcm(new short[(int) (sampleRate * millis / 1000)], sampleRate);
    }

    public int length() {
        return samples.length;
    }

    public long durationMillis() {
        return samples.length * 1000L / sampleRate;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    /** Root mean square level in dBFS (full scale sine = -3 dBFS); -infinity for digital silence. */
    public double rmsDbfs() {
        return rmsDbfs(0, samples.length);
    }

    public double rmsDbfs(int from, int to) {
        if (to <= from) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            double s = samples[i] / 32768.0;
            sum += s * s;
        }
        double rms = Math.sqrt(sum / (to - from));
        return rms == 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(rms);
    }

    /** Largest absolute sample value (0-32768). */
    public int peak() {
        int p = 0;
        for (short s : samples) {
            p = Math.max(p, Math.abs((int) s));
        }
        return p;
    }

    /** These samples followed by {@code other}'s (same rate). */
    public Pcm append(Pcm other) {
        if (other.sampleRate != sampleRate) {
            throw new IllegalArgumentException("cannot join " + sampleRate + " Hz and " + other.sampleRate + " Hz audio");
        }
        short[] out = Arrays.copyOf(samples, samples.length + other.samples.length);
        System.arraycopy(other.samples, 0, out, samples.length, other.samples.length);
        return new Pcm(out, sampleRate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pcm p && p.sampleRate == sampleRate && Arrays.equals(p.samples, samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples) * 31 + sampleRate;
    }

    @Override
    public String toString() {
        return "Pcm[" + samples.length + " samples at " + sampleRate + " Hz]";
    }
}
