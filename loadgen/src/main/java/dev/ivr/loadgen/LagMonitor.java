package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The load generator's own lateness, measured the way its calls feel it: a ticker asks to wake
 * every millisecond and records how late it woke. One ticker is a platform thread (the OS
 * scheduler, GC pauses of the generator); the other a virtual thread, like the fake PBX's calls
 * (also the carrier threads' backlog: a call that should send its reply now but has no carrier
 * free). Large lateness here is the generator's, not the server's: the report puts it next to
 * the server's response times.
 */
public final class LagMonitor implements AutoCloseable {
    static final long INTERVAL_NANOS = 1_000_000;
    private static final long MAX_NANOS = 60_000_000_000L;

    /** Waits about the given nanoseconds (the real one parks or sleeps). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /** One ticker's loop, with its clock and its way of sleeping (replaced in tests). */
    static final class Ticker {
        private final LongSupplier clock;
        private final Sleeper sleeper;
        private final Recorder lateness = new Recorder(MAX_NANOS, 3);
        private volatile boolean running = true;

        Ticker(LongSupplier clock, Sleeper sleeper) {
            this.clock = clock;
            this.sleeper = sleeper;
        }

        /** One tick: sleep an interval, record how much later than asked it woke. */
        void tick() throws InterruptedException {
            long due = clock.getAsLong() + INTERVAL_NANOS;
            sleeper.sleep(INTERVAL_NANOS);
            long late = clock.getAsLong() - due;
            lateness.recordValue(Math.max(0, Math.min(late, MAX_NANOS)));
        }

        void run() {
            try {
                while (running) {
                    tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            running = false;
        }

        /** Lateness recorded since the previous call, nanoseconds. */
        Histogram interval() {
            return lateness.getIntervalHistogram();
        }
    }

    private final Ticker platform = new Ticker(System::nanoTime, n -> {
        LockSupport.parkNanos(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    });
    private final Ticker virtual = new Ticker(System::nanoTime, n -> Thread.sleep(java.time.Duration.ofNanos(n)));
    private final Thread platformThread;
    private final Thread virtualThread;

    public LagMonitor() {
        platformThread = Thread.ofPlatform().daemon(true).name("loadgen-lag-platform").start(platform::run);
        virtualThread = Thread.ofVirtual().name("loadgen-lag-virtual").start(virtual::run);
    }

    /** Lateness of the platform-thread ticker since the previous call. */
    public Histogram platformInterval() {
        return platform.interval();
    }

    /** Lateness of the virtual-thread ticker since the previous call. */
    public Histogram virtualInterval() {
        return virtual.interval();
    }

    @Override
    public void close() {
        platform.stop();
        virtual.stop();
        platformThread.interrupt();
        virtualThread.interrupt();
    }
}
