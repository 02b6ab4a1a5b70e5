package dev.ivr.server.outbound.pacing;

import java.time.Duration;

/**
 * How predictive pacing is held.
 *
 * @param abandonCap        most abandoned calls as a fraction of answered calls (0.03: 3%)
 * @param abandonWindow     the rolling window the cap is measured over (regulators: 24 h)
 * @param minSamples        dial results measured before predictive pacing leaves progressive
 * @param maxLinesPerAgent  most calls ringing at once per agent with the skills (ready or busy)
 * @param defaultHandleTime handle time assumed before any call was measured
 */
public record PacingSettings(double abandonCap, Duration abandonWindow, int minSamples, double maxLinesPerAgent,
                             Duration defaultHandleTime) {
    public static final PacingSettings DEFAULTS = new PacingSettings(0.03, Duration.ofHours(24), 30, 3.0,
            Duration.ofMinutes(3));

    public PacingSettings {
        if (!(abandonCap > 0 && abandonCap < 1)) {
            throw new IllegalArgumentException("abandon cap must be between 0 and 1 (got " + abandonCap + ")");
        }
        if (abandonWindow == null || abandonWindow.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("abandon window must be a minute or more (got " + abandonWindow + ")");
        }
        if (minSamples < 1 || !(maxLinesPerAgent >= 1)) {
            throw new IllegalArgumentException("min samples must be 1 or more and max lines per agent 1 or more");
        }
        if (defaultHandleTime == null || defaultHandleTime.isNegative() || defaultHandleTime.isZero()) {
            throw new IllegalArgumentException("default handle time must be positive (got " + defaultHandleTime + ")");
        }
    }

    /** These settings with another abandon cap. */
    public PacingSettings withAbandonCap(double cap) {
        return new PacingSettings(cap, abandonWindow, minSamples, maxLinesPerAgent, defaultHandleTime);
    }
}
