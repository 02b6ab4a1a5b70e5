package dev.ivr.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replies of a run per wall-clock second (the second the reply arrived, UTC), with how many took over 5 ms and
 * over 50 ms and the slowest, and each reply over a threshold (5 ms unless told) with its times to the microsecond: a
 * slow command can then be lined up with the server's GC log (decorated with {@code time}), a scheduler trace and the
 * load generator's own lateness, to tell which pause (or which burst, or which thread) it waited for.
 */
public final class Timeline {
    static final String CSV_HEADER = "second_utc,replies,over_5ms,over_50ms,max_ms";
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private record Second(LongAdder replies, LongAdder over5, LongAdder over50, LongAccumulator max) {
        Second() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAccumulator(Math::max, 0));
        }
    }

    /** A slow reply: when it arrived (epoch microseconds), how long it took and which command it answered. */
    private record Slow(long epochMicros, long nanos, String command) {
    }

    /** Epoch milliseconds with three decimals (microseconds), when the reply arrived and when it was asked for. */
    static final String SLOW_CSV_HEADER = "reply_epoch_ms,sent_epoch_ms,ms,command";
    /** Replies slower than this are kept one by one (for the plateau's {@code -slow.csv}) unless told otherwise. */
    static final long SLOW_NANOS = 5_000_000;
    private static final int SLOW_CAP = 500_000;

    private final ConcurrentSkipListMap<Long, Second> seconds = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<Slow> slow = new ConcurrentLinkedQueue<>();
    private final AtomicInteger slowCount = new AtomicInteger();
    private volatile long slowNanos = SLOW_NANOS;

    /** Keeps each reply over this many nanoseconds in the slow list (default {@link #SLOW_NANOS}), at most {@link #SLOW_CAP} a window. */
    void slowOver(long nanos) {
        this.slowNanos = nanos;
    }

    /** A reply that arrived at {@code epochMicros} (wall clock, microseconds), {@code nanos} after it was asked for. */
    void record(long epochMicros, long nanos, String command) {
        if (nanos > slowNanos && slowCount.incrementAndGet() <= SLOW_CAP) {
            slow.add(new Slow(epochMicros, nanos, command));
        }
        record(epochMicros / 1000, nanos);
    }

    void record(long epochMillis, long nanos) {
        Second s = seconds.computeIfAbsent(epochMillis / 1000, k -> new Second());
        s.replies.increment();
        if (nanos > 5_000_000) {
            s.over5.increment();
        }
        if (nanos > 50_000_000) {
            s.over50.increment();
        }
        s.max.accumulate(nanos);
    }

    /** Writes the seconds from {@code fromMillis} to {@code toMillis} as CSV and forgets everything before the latter. */
    void writeWindow(long fromMillis, long toMillis, Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of(CSV_HEADER));
        for (Map.Entry<Long, Second> e : seconds.subMap(fromMillis / 1000, true, toMillis / 1000, true).entrySet()) {
            Second s = e.getValue();
            lines.add(String.join(",", SECOND.format(Instant.ofEpochSecond(e.getKey())), String.valueOf(s.replies.sum()),
                    String.valueOf(s.over5.sum()), String.valueOf(s.over50.sum()), String.format(Locale.ROOT, "%.2f", s.max.get() / 1e6)));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        seconds.headMap(toMillis / 1000, true).clear();
        List<String> slowLines = new ArrayList<>(List.of(SLOW_CSV_HEADER));
        for (Slow x : slow) {
            long millis = x.epochMicros() / 1000;
            if (millis >= fromMillis && millis <= toMillis) {
                slowLines.add(String.format(Locale.ROOT, "%.3f,%.3f,%.2f,%s", x.epochMicros() / 1e3,
                        (x.epochMicros() - x.nanos() / 1000) / 1e3, x.nanos() / 1e6, x.command()));
            }
        }
        String name = file.getFileName().toString();
        Files.write(file.resolveSibling(name.replace("-timeline.csv", "") + "-slow.csv"), slowLines);
        slow.removeIf(x -> x.epochMicros() / 1000 <= toMillis);
        slowCount.set(slow.size());
    }
}
