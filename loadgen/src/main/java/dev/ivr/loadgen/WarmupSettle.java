package dev.ivr.loadgen;

import java.time.Duration;
import java.util.Locale;

/**
 * When the call set-up benchmark's warm-up may end: the server has nothing left to render. Each
 * first name's greeting is synthesised the first time a caller of that name is greeted (1-3 s of
 * one CPU each); while renders are queued, callers get the fallback greeting and the server's
 * prompt misses grow ({@link ServerMetrics#promptMisses}). The warm-up ends once it has lasted
 * the minimum and a progress figure (the server's prompt misses plus the load generator's failed
 * calls) has not changed for the quiet period; past the maximum it did not settle, and nothing is
 * measured. A figure that could not be read counts as a change (the quiet period starts again),
 * so an unreadable server never passes as settled. Fed with times rather than reading the
 * clock, so it is tested without waiting.
 */
final class WarmupSettle {
    enum State {
        /** Still warming up. */
        WARMING,
        /** Quiet for the quiet period, the minimum reached: measure. */
        SETTLED,
        /** The maximum reached without a quiet period: do not measure. */
        NOT_SETTLED
    }

    private final long minNanos;
    private final long quietNanos;
    private final long maxNanos;
    private long last = Long.MIN_VALUE;
    private long lastChangeNanos;
    private long lastElapsedNanos;
    private State state = State.WARMING;

    /**
     * @param min   the warm-up lasts at least this long
     * @param quiet the progress figure unchanged this long ends it
     * @param max   no longer than this: then it did not settle
     */
    WarmupSettle(Duration min, Duration quiet, Duration max) {
        if (max.compareTo(min) < 0 || quiet.isNegative()) {
            throw new IllegalArgumentException("warm-up: the maximum " + max + " is below the minimum " + min
                    + " or the quiet period " + quiet + " is negative");
        }
        this.minNanos = min.toNanos();
        this.quietNanos = quiet.toNanos();
        this.maxNanos = max.toNanos();
    }

    /**
     * One reading, {@code elapsed} after the warm-up started (readings in order of time).
     *
     * @param progress prompt misses plus failed calls so far; negative when it could not be read
     */
    State observe(Duration elapsed, long progress) {
        if (state != State.WARMING) {
            return state;
        }
        long now = elapsed.toNanos();
        lastElapsedNanos = now;
        if (progress < 0 || progress != last) {
            last = progress;
            lastChangeNanos = now;
        }
        if (now >= minNanos && progress >= 0 && now - lastChangeNanos >= quietNanos) {
            state = State.SETTLED;
        } else if (now >= maxNanos) {
            state = State.NOT_SETTLED;
        }
        return state;
    }

    State state() {
        return state;
    }

    /** For the report: how the warm-up ended. */
    String describe() {
        String progress = last < 0 ? "the server's prompt misses not readable at the end"
                : String.format(Locale.ROOT, "prompt misses and failed calls last grew %d s after the start",
                lastChangeNanos / 1_000_000_000L);
        return switch (state) {
            case WARMING -> String.format(Locale.ROOT, "warming up for %d s (%s)", lastElapsedNanos / 1_000_000_000L, progress);
            case SETTLED -> String.format(Locale.ROOT, "warm-up settled after %d s (%s, none for %d s)",
                    lastElapsedNanos / 1_000_000_000L, progress, quietNanos / 1_000_000_000L);
            case NOT_SETTLED -> String.format(Locale.ROOT, "warm-up did not settle within %d s (%s): no quiet %d s (greetings "
                    + "still rendered, calls failing, or the server's figures not readable), nothing measured",
                    maxNanos / 1_000_000_000L, progress, quietNanos / 1_000_000_000L);
        };
    }
}
