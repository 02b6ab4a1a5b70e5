package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Takes one plateau's figures from a running load and the server process. */
final class Measurement {
    private Measurement() {
    }

    /**
     * Holds the current target for {@code hold}, then reads response times and counts for that
     * window, and the server's memory (after a full GC, once the latency window is closed).
     */
    static StepResult plateau(String server, int target, LoadRunner runner, ProcessProbe probe, ServerMetrics metrics,
                              long idleHeap, long idleRss, Duration hold) throws IOException, InterruptedException {
        Stats s = runner.stats();
        Map<Double, Long> serverBefore = metrics == null ? null : metrics.snapshot();
        s.intervalResponseTimes(); // start a fresh window
        s.intervalByCommand();
        s.resetMaxActive();
        long started0 = s.started();
        long ok0 = s.succeeded();
        long commands0 = s.commands();
        Map<String, Long> failures0 = s.failures();
        long t0 = System.nanoTime();
        Thread.sleep(hold);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Histogram h = s.intervalResponseTimes();
        java.util.TreeMap<Double, Long> serverAfter = metrics == null ? null : metrics.snapshot();
        s.intervalByCommand().forEach((name, hc) -> {
            if (hc.getTotalCount() > 0) {
                System.out.printf("    %-20s %8d  p50 %7.2f  p99 %8.2f  max %8.2f ms%n", name, hc.getTotalCount(),
                        hc.getValueAtPercentile(50) / 1e6, hc.getValueAtPercentile(99) / 1e6, hc.getMaxValue() / 1e6);
            }
        });
        int reached = s.maxActive();
        int activeNow = s.active();
        long started = s.started() - started0;
        long ok = s.succeeded() - ok0;
        Map<String, Long> failures = new HashMap<>();
        s.failures().forEach((k, v) -> {
            long d = v - failures0.getOrDefault(k, 0L);
            if (d > 0) {
                failures.put(k, d);
            }
        });
        long heap = -1;
        long rss = -1;
        long threads = -1;
        long files = -1;
        if (probe != null) {
            heap = probe.heapAfterFullGc();
            rss = probe.rss();
            threads = probe.threads();
            files = probe.openFiles();
        }
        int calls = Math.max(1, activeNow);
        boolean hasLatency = h.getTotalCount() > 0;
        return new StepResult(server, target, reached, (ok + failures.values().stream().mapToLong(Long::longValue).sum()) / seconds,
                started, ok, failures, s.commands() - commands0,
                hasLatency ? h.getValueAtPercentile(50) / 1000 : -1,
                hasLatency ? h.getValueAtPercentile(99) / 1000 : -1,
                hasLatency ? h.getValueAtPercentile(99.9) / 1000 : -1,
                hasLatency ? h.getMaxValue() / 1000 : -1,
                heap < 0 ? -1 : Math.max(0, heap - idleHeap) / calls,
                rss < 0 ? -1 : Math.max(0, rss - idleRss) / calls,
                heap, rss, threads, files,
                metrics == null ? -1 : ServerMetrics.percentileMicros(serverBefore, serverAfter, 50),
                metrics == null ? -1 : ServerMetrics.percentileMicros(serverBefore, serverAfter, 99));
    }
}
