package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters and the response-time histogram of a load run; safe for thousands of calls at once. */
public final class Stats {
    /** Server response time per AGI command, nanoseconds, up to 60 s with 3 significant digits. */
    private final Recorder responseTimes = new Recorder(60_000_000_000L, 3);
    /** The same, per command (STREAM FILE, WAIT FOR DIGIT, EXEC Dial ...), to find what is slow. */
    private final Map<String, Recorder> byCommand = new ConcurrentHashMap<>();
    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    /** Per wall-clock second of the replies: to line slow commands up with GC pauses in time. */
    private final Timeline timeline = new Timeline();

    void callStarted() {
        started.increment();
        int a = active.incrementAndGet();
        maxActive.accumulateAndGet(a, Math::max);
    }

    void callEnded(String failureKind) {
        active.decrementAndGet();
        if (failureKind == null) {
            succeeded.increment();
        } else {
            failures.computeIfAbsent(failureKind, k -> new LongAdder()).increment();
        }
    }

    void command(String name, long serverNanos) {
        commands.increment();
        long v = Math.min(serverNanos, 60_000_000_000L);
        responseTimes.recordValue(v);
        byCommand.computeIfAbsent(name, n -> new Recorder(60_000_000_000L, 2)).recordValue(v);
        timeline.record(epochMicros(), v, name);
    }

    /** The wall clock in microseconds since the epoch (as precise as the platform's clock gives it). */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Replies per wall-clock second, with how many were slow: see {@link Timeline}. */
    public Timeline timeline() {
        return timeline;
    }

    /** Per command name, the response times recorded since the previous call of this method. */
    public Map<String, Histogram> intervalByCommand() {
        Map<String, Histogram> out = new TreeMap<>();
        byCommand.forEach((k, r) -> out.put(k, r.getIntervalHistogram()));
        return out;
    }

    public int active() {
        return active.get();
    }

    /** The highest number of calls in progress since the last {@link #resetMaxActive()}. */
    public int maxActive() {
        return maxActive.get();
    }

    public void resetMaxActive() {
        maxActive.set(active.get());
    }

    public long started() {
        return started.sum();
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long commands() {
        return commands.sum();
    }

    public long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Response times recorded since the previous call of this method. */
    public Histogram intervalResponseTimes() {
        return responseTimes.getIntervalHistogram();
    }
}
