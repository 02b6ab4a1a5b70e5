package dev.ivr.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One plateau of a run: {@code target} calls wanted (or, for the call-setup ramp, new calls
 * offered per second), and what the server did while they were held for {@code seconds}.
 * Times in microseconds, memory in bytes, CPU time in nanoseconds; -1 where a figure was not
 * taken (the stock server has no in-server histogram; a run without a process id has no memory).
 *
 * @param p50Micros            response time per AGI command as the PBX side sees it (reply
 *                             written to the next command read), all commands of the window
 * @param serverP50Micros      the ivr server's own histogram of the same (upper bound of a bucket)
 * @param serverCpuPercent     the server's CPU time over the window, % of one CPU
 * @param loadgenCpuPercent    the load generator's, % of one CPU
 * @param lagP99Micros         the load generator's own lateness (virtual-thread ticker, see {@link LagMonitor})
 * @param platformLagP99Micros the same, platform-thread ticker
 * @param loadAverage          the machine's one-minute load average at the end of the window
 * @param otherCpuPercent      CPU the machine's other processes used over the window, % of one CPU; -1 unknown
 */
public record StepResult(String server, String scenario, int target, int reached, double seconds, double callsPerSecond,
                         long started, long succeeded, Map<String, Long> failures, long commands,
                         long p50Micros, long p99Micros, long p999Micros, long maxMicros,
                         long serverP50Micros, long serverP99Micros,
                         double serverCpuPercent, long serverCpuNanos, long serverJitCpuNanos, double loadgenCpuPercent,
                         long heapPerCall, long rssPerCall, long heapBytes, long rssBytes, long threads, long openFiles,
                         long lagP99Micros, long lagMaxMicros, long platformLagP99Micros, long platformLagMaxMicros,
                         double loadAverage, double otherCpuPercent) {

    public StepResult {
        failures = Map.copyOf(failures);
    }

    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    public double commandsPerSecond() {
        return seconds <= 0 ? 0 : commands / seconds;
    }

    /** The server's CPU time per 1,000 AGI commands, milliseconds (numerically, µs per command); -1 unknown. */
    public double cpuMillisPer1000Commands() {
        return serverCpuNanos < 0 || commands <= 0 ? -1 : serverCpuNanos / 1e6 / (commands / 1000.0);
    }

    /**
     * Of {@link #cpuMillisPer1000Commands}: the JIT compiler threads' part (C1 and C2), milliseconds per 1,000 commands; -1
     * unknown. Near zero once the server's code is compiled; high in a server minutes old (its code still compiling).
     */
    public double jitMillisPer1000Commands() {
        return serverJitCpuNanos < 0 || commands <= 0 ? -1 : serverJitCpuNanos / 1e6 / (commands / 1000.0);
    }

    /** Held: every call reached, none failed, p99 at or under the bound. */
    public boolean holds(long p99BoundMicros) {
        return failed() == 0 && p99Micros >= 0 && p99Micros <= p99BoundMicros && reached >= target * 0.98;
    }

    static final List<String> COLUMNS = List.of("server", "scenario", "target", "reached", "seconds", "calls_per_s",
            "started", "succeeded", "failed", "failures", "commands", "p50_us", "p99_us", "p999_us", "max_us",
            "server_p50_us", "server_p99_us", "server_cpu_pct", "server_cpu_ns", "server_jit_cpu_ns", "loadgen_cpu_pct", "heap_per_call_bytes",
            "rss_per_call_bytes", "heap_bytes", "rss_bytes", "threads", "open_files", "lag_p99_us", "lag_max_us",
            "platform_lag_p99_us", "platform_lag_max_us", "load_average", "other_cpu_pct");

    static final String CSV_HEADER = String.join(",", COLUMNS);

    String csv() {
        StringBuilder f = new StringBuilder();
        failures.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> f.append(f.isEmpty() ? "" : ";").append(e.getKey()).append('=').append(e.getValue()));
        List<String> v = new ArrayList<>(List.of(server, scenario, String.valueOf(target), String.valueOf(reached),
                d(seconds), d(callsPerSecond), String.valueOf(started), String.valueOf(succeeded), String.valueOf(failed()),
                f.toString(), String.valueOf(commands), String.valueOf(p50Micros), String.valueOf(p99Micros),
                String.valueOf(p999Micros), String.valueOf(maxMicros), String.valueOf(serverP50Micros),
                String.valueOf(serverP99Micros), d(serverCpuPercent), String.valueOf(serverCpuNanos), String.valueOf(serverJitCpuNanos), d(loadgenCpuPercent),
                String.valueOf(heapPerCall), String.valueOf(rssPerCall), String.valueOf(heapBytes), String.valueOf(rssBytes),
                String.valueOf(threads), String.valueOf(openFiles), String.valueOf(lagP99Micros), String.valueOf(lagMaxMicros),
                String.valueOf(platformLagP99Micros), String.valueOf(platformLagMaxMicros), d(loadAverage),
                d(otherCpuPercent)));
        return String.join(",", v);
    }

    private static String d(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    /** A row of {@link #CSV_HEADER}'s columns, by name. */
    static StepResult fromCsv(Map<String, String> r) {
        Map<String, Long> failures = new LinkedHashMap<>();
        String fs = r.getOrDefault("failures", "");
        if (!fs.isEmpty()) {
            for (String kv : fs.split(";")) {
                String[] p = kv.split("=");
                failures.put(p[0], Long.parseLong(p[1]));
            }
        }
        return new StepResult(r.get("server"), r.get("scenario"), i(r, "target"), i(r, "reached"), dbl(r, "seconds"),
                dbl(r, "calls_per_s"), l(r, "started"), l(r, "succeeded"), failures, l(r, "commands"), l(r, "p50_us"),
                l(r, "p99_us"), l(r, "p999_us"), l(r, "max_us"), l(r, "server_p50_us"), l(r, "server_p99_us"),
                dbl(r, "server_cpu_pct"), l(r, "server_cpu_ns"), l(r, "server_jit_cpu_ns"), dbl(r, "loadgen_cpu_pct"), l(r, "heap_per_call_bytes"),
                l(r, "rss_per_call_bytes"), l(r, "heap_bytes"), l(r, "rss_bytes"), l(r, "threads"), l(r, "open_files"),
                l(r, "lag_p99_us"), l(r, "lag_max_us"), l(r, "platform_lag_p99_us"), l(r, "platform_lag_max_us"),
                dbl(r, "load_average"), dbl(r, "other_cpu_pct"));
    }

    private static int i(Map<String, String> r, String k) {
        return (int) l(r, k);
    }

    private static long l(Map<String, String> r, String k) {
        String v = r.get(k);
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    private static double dbl(Map<String, String> r, String k) {
        String v = r.get(k);
        return v == null || v.isEmpty() ? -1 : Double.parseDouble(v);
    }
}
