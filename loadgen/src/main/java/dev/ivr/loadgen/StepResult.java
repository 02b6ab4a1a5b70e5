package dev.ivr.loadgen;

import java.util.Map;

/**
 * One plateau of a run: {@code target} calls wanted, what the server did while they were held.
 * Times in microseconds, memory in bytes. {@code serverP50Micros} and {@code serverP99Micros}
 * are the server's own measure (upper bound of a histogram bucket; -1 when the server has none,
 * as the baseline).
 */
public record StepResult(String server, int target, int reached, double callsPerSecond, long started,
                         long succeeded, Map<String, Long> failures, long commands, long p50Micros,
                         long p99Micros, long p999Micros, long maxMicros, long heapPerCall, long rssPerCall,
                         long heapBytes, long rssBytes, long threads, long openFiles, long serverP50Micros,
                         long serverP99Micros) {

    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    static final String CSV_HEADER = "server,target,reached,calls_per_s,started,succeeded,failed,failures,commands,"
            + "p50_us,p99_us,p999_us,max_us,heap_per_call_bytes,rss_per_call_bytes,heap_bytes,rss_bytes,threads,open_files,"
            + "server_p50_us,server_p99_us";

    String csv() {
        StringBuilder f = new StringBuilder();
        failures.forEach((k, v) -> f.append(f.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return String.join(",", server, String.valueOf(target), String.valueOf(reached),
                String.format("%.1f", callsPerSecond), String.valueOf(started), String.valueOf(succeeded),
                String.valueOf(failed()), f.toString(), String.valueOf(commands), String.valueOf(p50Micros),
                String.valueOf(p99Micros), String.valueOf(p999Micros), String.valueOf(maxMicros),
                String.valueOf(heapPerCall), String.valueOf(rssPerCall), String.valueOf(heapBytes),
                String.valueOf(rssBytes), String.valueOf(threads), String.valueOf(openFiles),
                String.valueOf(serverP50Micros), String.valueOf(serverP99Micros));
    }
}
