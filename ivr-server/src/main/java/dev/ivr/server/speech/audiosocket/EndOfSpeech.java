package dev.ivr.server.speech.audiosocket;

import java.time.Duration;

/**
 * Energy-based voice activity detection on 20 ms frames: measures the line's noise in the first
 * 100 ms and tracks it while the caller is silent, starts the utterance when the level stays {@code speechLevel} dB above it
 * for 60 ms, and ends it after {@code endSilence} below it, after {@code maxDuration}, or with
 * no speech at all after {@code noInputTimeout}. Counts audio time (frames), not wall time.
 */
public final class EndOfSpeech {
    /** What a frame decided. */
    public enum Event { NONE, SPEECH_STARTED, SPEECH_ENDED, NO_INPUT, MAX_DURATION }

    static final int FRAME_MILLIS = 20;
    private static final int START_FRAMES = 3;
    /** The first frames (100 ms) only measure the line's noise. */
    private static final int CALIBRATION_FRAMES = 5;
    /** Speech is never quieter than this, whatever the noise floor (dBFS). */
    private static final double ABSOLUTE_MIN_DBFS = -50;

    private final int noInputFrames;
    private final int endSilenceFrames;
    private final int maxFrames;
    private final double speechLevel;

    private double noiseFloor = -65;
    private double calibrationSum;
    private int frames;
    private int loudRun;
    private int quietRun;
    private int speechFrames;
    private boolean speaking;
    private boolean done;

    public EndOfSpeech(Duration noInputTimeout, Duration endSilence, Duration maxDuration, double speechLevelDb) {
        this.noInputFrames = frames(noInputTimeout);
        this.endSilenceFrames = frames(endSilence);
        this.maxFrames = frames(maxDuration);
        this.speechLevel = speechLevelDb;
    }

    private static int frames(Duration d) {
        return (int) Math.max(1, d.toMillis() / FRAME_MILLIS);
    }

    /** Feeds one frame of 8 kHz 16-bit little-endian samples. */
    public Event feed(byte[] slin, int length) {
        if (done) {
            return Event.NONE;
        }
        frames++;
        double level = levelDbfs(slin, length);
        if (frames <= CALIBRATION_FRAMES) {
            calibrationSum += Math.max(-90, level);
            if (frames == CALIBRATION_FRAMES) {
                noiseFloor = Math.max(-90, Math.min(-30, calibrationSum / CALIBRATION_FRAMES));
            }
            return Event.NONE;
        }
        boolean loud = level > Math.max(noiseFloor + speechLevel, ABSOLUTE_MIN_DBFS);
        if (!speaking) {
            if (loud) {
                loudRun++;
                if (loudRun >= START_FRAMES) {
                    speaking = true;
                    speechFrames = loudRun;
                    quietRun = 0;
                    return Event.SPEECH_STARTED;
                }
            } else {
                loudRun = 0;
                // follow the noise: quickly down, slowly up
                noiseFloor = level < noiseFloor ? 0.7 * noiseFloor + 0.3 * level : 0.98 * noiseFloor + 0.02 * level;
                noiseFloor = Math.max(-90, Math.min(-30, noiseFloor));
            }
            if (frames >= noInputFrames) {
                done = true;
                return Event.NO_INPUT;
            }
            return Event.NONE;
        }
        speechFrames++;
        quietRun = loud ? 0 : quietRun + 1;
        if (quietRun >= endSilenceFrames) {
            done = true;
            return Event.SPEECH_ENDED;
        }
        if (speechFrames >= maxFrames) {
            done = true;
            return Event.MAX_DURATION;
        }
        return Event.NONE;
    }

    public boolean isSpeaking() {
        return speaking;
    }

    static double levelDbfs(byte[] slin, int length) {
        int n = length / 2;
        if (n == 0) {
            return -120;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int s = (short) ((slin[2 * i] & 0xff) | (slin[2 * i + 1] << 8));
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / n) / 32768.0;
        return rms <= 1e-6 ? -120 : 20 * Math.log10(rms);
    }
}
