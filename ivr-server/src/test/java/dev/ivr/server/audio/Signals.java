package dev.ivr.server.audio;

/** Test signals and measurements. */
public final class Signals {
    private Signals() {
    }

    public static Pcm tone(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new Pcm(s, rate);
    }

    /** Amplitude (0..1) of one frequency in samples [from, to), by Goertzel. */
    public static double amplitudeAt(Pcm pcm, double hz, int from, int to) {
        double w = 2 * Math.PI * hz / pcm.sampleRate();
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = pcm.samples()[i] / 32768.0 + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / (to - from);
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
