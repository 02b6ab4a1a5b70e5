package dev.ivr.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves by hand (lock windows, time to live, durations without waiting), in UTC. Safe to read
 * and move from several threads.
 */
public final class MutableClock extends Clock {
    /** Where {@link #MutableClock()} starts: a Monday, 09:00 UTC. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-06T09:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock standing at {@code start}. */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** A clock standing at {@link #DEFAULT_START}. */
    public MutableClock() {
        this(DEFAULT_START);
    }

    /** Moves the clock forward by {@code d} (backward when negative). */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: a test clock has one zone, UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
