package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Takes one plateau's figures from a running load: response times and counts from the load
 * generator, the server's CPU time, memory and threads from outside (/proc, jcmd), the ivr
 * server's own histogram (/metrics), and the generator's own lateness, for the same window.
 */
final class Measurement {
    /** Per command name, for the breakdown CSV. */
    record CommandRow(String server, String scenario, int target, String command, long count, long p50Micros,
                      long p99Micros, long p999Micros, long maxMicros) {
        static final String CSV_HEADER = "server,scenario,target,command,count,p50_us,p99_us,p999_us,max_us";

        String csv() {
            return String.join(",", server, scenario, String.valueOf(target), command, String.valueOf(count),
                    String.valueOf(p50Micros), String.valueOf(p99Micros), String.valueOf(p999Micros), String.valueOf(maxMicros));
        }
    }

    private final ProcessProbe probe;
    private final ServerMetrics metrics;
    private final LagMonitor lag;
    private final ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());
    private final long idleHeap;
    private final long idleRss;
    private final List<CommandRow> commandRows = new ArrayList<>();
    private Path recordings;
    private Path histograms;
    private Path timelines;

    /**
     * @param probe   the server process, or null when it is not on this machine
     * @param metrics the ivr server's /metrics, or null (the stock server has none)
     */
    Measurement(ProcessProbe probe, ServerMetrics metrics, LagMonitor lag) throws IOException, InterruptedException {
        this.probe = probe;
        this.metrics = metrics;
        this.lag = lag;
        this.idleHeap = probe == null ? -1 : probe.heapAfterFullGc();
        this.idleRss = probe == null ? -1 : probe.rss();
    }

    /** Records each plateau of the server with JFR (profile settings) into this directory, one file per plateau. */
    void recordInto(Path dir) {
        this.recordings = dir;
    }

    /** Writes the server's class histogram after each plateau's full GC into this directory, one file per plateau. */
    void histogramsInto(Path dir) {
        this.histograms = dir;
    }

    /** Writes each plateau's replies per second (and the slow ones) into this directory, one CSV per plateau. */
    void timelinesInto(Path dir) {
        this.timelines = dir;
    }

    List<CommandRow> commandRows() {
        return List.copyOf(commandRows);
    }

    /**
     * Holds the current load for {@code hold}, then reads response times and counts for that
     * window, and the server's memory (after a full GC, once the latency window is closed).
     */
    StepResult plateau(String server, String scenario, int target, LoadRunner runner, Duration hold)
            throws IOException, InterruptedException {
        Stats s = runner.stats();
        Map<Double, Long> serverBefore = metrics == null ? null : metrics.snapshot();
        s.intervalResponseTimes(); // start fresh windows
        s.intervalByCommand();
        lag.virtualInterval();
        lag.platformInterval();
        lag.forgetLate();
        s.resetMaxActive();
        long started0 = s.started();
        long ok0 = s.succeeded();
        long commands0 = s.commands();
        Map<String, Long> failures0 = s.failures();
        long cpu0 = probe == null ? -1 : probe.cpuNanos();
        Map<Long, Long> jit0 = probe == null ? Map.of() : probe.jitTicks();
        long selfCpu0 = self.cpuNanos();
        long machine0 = ProcessProbe.machineBusyNanos();
        if (recordings != null && probe != null) {
            probe.startRecording("loadgen-plateau");
        }
        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        Thread.sleep(hold);
        long cpu1 = probe == null ? -1 : probe.cpuNanos();
        long jitNanos = probe == null ? -1 : ProcessProbe.jitNanosBetween(jit0, probe.jitTicks());
        long selfCpu1 = self.cpuNanos();
        long machine1 = ProcessProbe.machineBusyNanos();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double otherCpu = otherCpuPercent(machine0, machine1, cpu0, cpu1, selfCpu1 - selfCpu0, seconds);
        Histogram h = s.intervalResponseTimes();
        if (timelines != null) {
            Path file = timelines.resolve(server + "-" + scenario + "-" + target + "-timeline.csv");
            long wall1 = System.currentTimeMillis();
            s.timeline().writeWindow(wall0, wall1, file);
            lag.writeLate(wall0, wall1, timelines.resolve(server + "-" + scenario + "-" + target + "-lag.csv"));
            System.out.println("    replies per second of the plateau: " + file);
        }
        if (recordings != null && probe != null) {
            Files.createDirectories(recordings);
            Path file = recordings.resolve(server + "-" + scenario + "-" + target + ".jfr");
            probe.stopRecording("loadgen-plateau", file);
            System.out.println("    JFR recording of the plateau: " + file);
        }
        Histogram virtualLag = lag.virtualInterval();
        Histogram platformLag = lag.platformInterval();
        NavigableMap<Double, Long> serverAfter = metrics == null ? null : metrics.snapshot();
        s.intervalByCommand().forEach((name, hc) -> {
            if (hc.getTotalCount() > 0) {
                commandRows.add(new CommandRow(server, scenario, target, name, hc.getTotalCount(), hc.getValueAtPercentile(50) / 1000,
                        hc.getValueAtPercentile(99) / 1000, hc.getValueAtPercentile(99.9) / 1000, hc.getMaxValue() / 1000));
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
            if (histograms != null) {
                Files.createDirectories(histograms);
                Path file = histograms.resolve(server + "-" + scenario + "-" + target + ".histo.txt");
                Files.writeString(file, "calls in progress " + activeNow + ", heap after full GC " + heap + " bytes, idle "
                        + idleHeap + " bytes\n" + probe.classHistogram());
                System.out.println("    class histogram of the plateau: " + file);
            }
        }
        int calls = Math.max(1, activeNow);
        boolean hasLatency = h.getTotalCount() > 0;
        long ended = ok + failures.values().stream().mapToLong(Long::longValue).sum();
        return new StepResult(server, scenario, target, reached, seconds,
                runner.openLoop() ? started / seconds : ended / seconds,
                started, ok, failures, s.commands() - commands0,
                hasLatency ? h.getValueAtPercentile(50) / 1000 : -1,
                hasLatency ? h.getValueAtPercentile(99) / 1000 : -1,
                hasLatency ? h.getValueAtPercentile(99.9) / 1000 : -1,
                hasLatency ? h.getMaxValue() / 1000 : -1,
                metrics == null ? -1 : ServerMetrics.percentileMicros(serverBefore, serverAfter, 50),
                metrics == null ? -1 : ServerMetrics.percentileMicros(serverBefore, serverAfter, 99),
                cpu0 < 0 ? -1 : (cpu1 - cpu0) / 1e7 / seconds, cpu0 < 0 ? -1 : cpu1 - cpu0, jitNanos,
                (selfCpu1 - selfCpu0) / 1e7 / seconds,
                heap < 0 ? -1 : Math.max(0, heap - idleHeap) / calls,
                rss < 0 ? -1 : Math.max(0, rss - idleRss) / calls,
                heap, rss, threads, files,
                micros(virtualLag, 99), virtualLag.getTotalCount() == 0 ? -1 : virtualLag.getMaxValue() / 1000,
                micros(platformLag, 99), platformLag.getTotalCount() == 0 ? -1 : platformLag.getMaxValue() / 1000,
                loadAverage(), otherCpu);
    }

    /**
     * What the other processes on the machine took over the window, in % of one CPU: the machine's
     * busy time minus the server's and the load generator's; -1 when either is unknown (a server on
     * another machine, no /proc/stat).
     */
    static double otherCpuPercent(long machine0, long machine1, long server0, long server1, long selfNanos, double seconds) {
        if (machine0 < 0 || machine1 < 0 || server0 < 0 || server1 < 0 || seconds <= 0) {
            return -1;
        }
        long others = (machine1 - machine0) - (server1 - server0) - selfNanos;
        return Math.max(0, others) / 1e7 / seconds;
    }

    private static long micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile) / 1000;
    }

    /** The one-minute load average (Linux), -1 elsewhere. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
