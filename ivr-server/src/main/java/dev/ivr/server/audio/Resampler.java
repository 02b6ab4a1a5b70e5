package dev.ivr.server.audio;

/**
 * Sample-rate conversion by a rational factor L/M with a polyphase windowed-sinc (Kaiser)
 * low-pass: the filter removes everything above the lower of the two Nyquist frequencies
 * before decimation (no aliasing when going down, no images when going up). Linear phase,
 * delay compensated, so the output lines up with the input.
 */
public final class Resampler {
    /** Stop-band attenuation the filter is designed for, in dB. */
    static final double STOPBAND_DB = 90;
    /** Pass band edge as a fraction of the lower Nyquist frequency (3.6 kHz for 8 kHz output). */
    static final double PASSBAND = 0.90;
    /** Stop band edge as a fraction of the lower Nyquist frequency. */
    static final double STOPBAND = 1.0;

    private final int up;
    private final int down;
    private final double[] taps;
    private final int delay;

    private Resampler(int fromRate, int toRate) {
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        double fsUp = (double) fromRate * up;
        double nyquist = Math.min(fromRate, toRate) / 2.0;
        double pass = nyquist * PASSBAND;
        double stop = nyquist * STOPBAND;
        double cutoff = (pass + stop) / 2 / fsUp;              // cycles per sample at the upsampled rate
        double transition = 2 * Math.PI * (stop - pass) / fsUp; // radians per sample
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        int n = (int) Math.ceil((STOPBAND_DB - 8) / (2.285 * transition)) + 1;
        if (n % 2 == 0) {
            n++;
        }
        taps = new double[n];
        delay = (n - 1) / 2;
        double i0Beta = bessel0(beta);
        for (int i = 0; i < n; i++) {
            double t = i - delay;
            double sinc = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double r = 2.0 * i / (n - 1) - 1;
            double window = bessel0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            taps[i] = up * sinc * window; // gain L makes up for the zeros inserted by upsampling
        }
    }

    /** Converts {@code in} to {@code toRate} (a copy when the rates are equal). */
    public static Pcm resample(Pcm in, int toRate) {
        float[] out = resample(Dsp.toFloat(in.samples()), in.sampleRate(), toRate);
        return new Pcm(Dsp.toShort(out), toRate);
    }

    /** Converts float samples (-1..1) from one rate to another. */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return in.clone();
        }
        return new Resampler(fromRate, toRate).process(in);
    }

    private float[] process(float[] x) {
        long outLen = ((long) x.length * up + down - 1) / down;
        float[] y = new float[(int) outLen];
        int taps = this.taps.length;
        for (int m = 0; m < y.length; m++) {
            long j = (long) m * down + delay;            // position in the upsampled stream, filter-centred
            long kMax = Math.min(x.length - 1L, j / up);
            long kMin = Math.max(0, ceilDiv(j - taps + 1, up));
            double acc = 0;
            for (long k = kMin; k <= kMax; k++) {
                acc += x[(int) k] * this.taps[(int) (j - k * up)];
            }
            y[m] = (float) acc;
        }
        return y;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Modified Bessel function of the first kind, order 0 (power series). */
    static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / (k * (double) k);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        return sum;
    }
}
