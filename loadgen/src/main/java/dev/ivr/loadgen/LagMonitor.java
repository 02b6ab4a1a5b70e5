package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** A wake-up later than this is also kept one by one with its wall-clock time (for a timeline), at most {@link #LATE_CAP}. */
    static final long LATE_NANOS = 500_000;
    private static final int LATE_CAP = 200_000;

    /** One late wake-up of a ticker: when it woke (epoch microseconds) and how late. */
    record Late(long epochMicros, long nanos) {
    }

    /** Waits about the given nanoseconds (the real one parks or sleeps). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /** One ticker's loop, with its clock and its way of sleeping (replaced in tests). */
    static final class Ticker {
        private final LongSupplier clock;
        private final Sleeper sleeper;
        private final LongSupplier wallMicros;
        private final Recorder lateness = new Recorder(MAX_NANOS, 3);
        private final ConcurrentLinkedQueue<Late> lateOnes = new ConcurrentLinkedQueue<>();
        private final AtomicInteger lateCount = new AtomicInteger();
        private volatile boolean running = true;

        Ticker(LongSupplier clock, Sleeper sleeper) {
            this(clock, sleeper, Stats::epochMicros);
        }

        Ticker(LongSupplier clock, Sleeper sleeper, LongSupplier wallMicros) {
            this.clock = clock;
            this.sleeper = sleeper;
            this.wallMicros = wallMicros;
        }

        /** One tick: sleep an interval, record how much later than asked it woke (and when, if over {@link #LATE_NANOS}). */
        void tick() throws InterruptedException {
            long due = clock.getAsLong() + INTERVAL_NANOS;
            sleeper.sleep(INTERVAL_NANOS);
            long late = clock.getAsLong() - due;
            lateness.recordValue(Math.max(0, Math.min(late, MAX_NANOS)));
            if (late > LATE_NANOS && lateCount.incrementAndGet() <= LATE_CAP) {
                lateOnes.add(new Late(wallMicros.getAsLong(), late));
            }
        }

        /** The late wake-ups from {@code fromMillis} to {@code toMillis} (epoch ms), forgetting everything up to the latter. */
        List<Late> late(long fromMillis, long toMillis) {
            List<Late> out = new ArrayList<>();
            for (Late x : lateOnes) {
                long millis = x.epochMicros() / 1000;
                if (millis >= fromMillis && millis <= toMillis) {
                    out.add(x);
                }
            }
            lateOnes.removeIf(x -> x.epochMicros() / 1000 <= toMillis);
            lateCount.set(lateOnes.size());
            return out;
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

    /**
     * Writes each wake-up of the two tickers later than {@link #LATE_NANOS} from {@code fromMillis} to {@code toMillis}
     * (epoch ms) as CSV: when it woke (epoch ms with microseconds), which ticker, how late (ms).
     */
    void writeLate(long fromMillis, long toMillis, Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of(LATE_CSV_HEADER));
        for (Late x : platform.late(fromMillis, toMillis)) {
            lines.add(String.format(Locale.ROOT, "%.3f,platform,%.3f", x.epochMicros() / 1e3, x.nanos() / 1e6));
        }
        for (Late x : virtual.late(fromMillis, toMillis)) {
            lines.add(String.format(Locale.ROOT, "%.3f,virtual,%.3f", x.epochMicros() / 1e3, x.nanos() / 1e6));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }

    /** Forgets the late wake-ups kept so far (at a plateau's start, so that the warm-up's do not fill the cap). */
    void forgetLate() {
        platform.late(0, Long.MAX_VALUE);
        virtual.late(0, Long.MAX_VALUE);
    }

    static final String LATE_CSV_HEADER = "woke_epoch_ms,ticker,late_ms";

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
