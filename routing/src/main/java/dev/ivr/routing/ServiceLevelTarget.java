package dev.ivr.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * A service-level target such as "80% of calls answered within 20 s", measured over a sliding window.
 * The measured service level is {@code answered within threshold / (answered + abandoned after threshold
 * + sent elsewhere at maximum wait)}: callers who hang up before the threshold are not counted.
 *
 * @param fraction  target fraction, 0..1 (0.8 for 80%)
 * @param threshold answer-time threshold
 * @param window    how far back the measurement looks
 */
public record ServiceLevelTarget(double fraction, Duration threshold, Duration window) {
    public static final ServiceLevelTarget DEFAULT =
            new ServiceLevelTarget(0.8, Duration.ofSeconds(20), Duration.ofMinutes(30));

    public ServiceLevelTarget {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("service level fraction must be 0..1, was " + fraction);
        }
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(window, "window");
        if (threshold.isNegative() || window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("threshold must be >= 0 and window >= 1 minute");
        }
    }
}
