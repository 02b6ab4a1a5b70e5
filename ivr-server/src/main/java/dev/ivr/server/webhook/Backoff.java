package dev.ivr.server.webhook;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt of a failed delivery: {@code base × 2^(attempts-1)}, at most {@code max},
 * with "equal jitter": a random point between half of it and all of it, so receivers coming back are not hit by
 * every waiting delivery at the same instant.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    /** @param random numbers in [0, 1) */
    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The wait before the next attempt, after {@code failedAttempts} (1 or more) failed. */
    public Duration delay(int failedAttempts) {
        Duration full = ceiling(failedAttempts);
        long half = full.toMillis() / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (full.toMillis() - half)));
    }

    /** The wait without jitter (the most {@link #delay} can be). */
    public Duration ceiling(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long ms = base.toMillis();
        for (int i = 0; i < doublings && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
