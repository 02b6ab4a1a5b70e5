package dev.ivr.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ivr server's own measure of its response time: the {@code ivr_agi_response_seconds}
 * histogram of {@code /metrics} (previous reply read to next command sent, inside the server),
 * summed over commands, read at the start and the end of a plateau. Unlike the load generator's
 * figure it leaves out the generator's own scheduling and the loopback; its resolution is the
 * histogram's buckets, so a percentile is reported as the upper bound of its bucket. And the
 * prompts calls asked for that were not rendered yet ({@link #promptMisses}), for the set-up
 * benchmark's warm-up.
 */
final class ServerMetrics {
    private static final Pattern BUCKET = Pattern.compile(
            "^ivr_agi_response_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)", Pattern.MULTILINE);

    private static final Pattern PROMPT_REQUESTS = Pattern.compile(
            "^ivr_prompt_requests_total\\{([^}]*)} ([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern OUTCOME = Pattern.compile("outcome=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final String token;

    private ServerMetrics(URI uri, String token) {
        this.uri = uri;
        this.token = token;
    }

    /** The server on this HTTP port, with the admin token it generated in its data directory. */
    static ServerMetrics of(int httpPort, Path dataDir) throws IOException {
        return new ServerMetrics(URI.create("http://127.0.0.1:" + httpPort + "/metrics"),
                Files.readString(dataDir.resolve("admin-token")).trim());
    }

    /** Cumulative counts by upper bound (seconds), over every command. */
    NavigableMap<Double, Long> snapshot() throws IOException, InterruptedException {
        return parse(get());
    }

    /** Prompt requests of calls so far that did not find the prompt rendered ({@link #promptMisses(String)}). */
    long promptMisses() throws IOException, InterruptedException {
        return promptMisses(get());
    }

    /**
     * The server's {@code ivr_prompt_requests_total} summed over every outcome but {@code hit}: a call asked for a
     * prompt (a greeting with the caller's name) that was not rendered yet, and waited for it ({@code rendered}),
     * went on without it ({@code over_budget}, the fallback said instead), or it could not be rendered
     * ({@code failed}, {@code no_voice}). It stops growing once every prompt the calls ask for is rendered.
     */
    static long promptMisses(String prometheusText) {
        long misses = 0;
        Matcher m = PROMPT_REQUESTS.matcher(prometheusText);
        while (m.find()) {
            Matcher outcome = OUTCOME.matcher(m.group(1));
            if (outcome.find() && !outcome.group(1).equals("hit")) {
                misses += (long) Double.parseDouble(m.group(2));
            }
        }
        return misses;
    }

    private String get() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + ": " + r.statusCode());
        }
        return r.body();
    }

    static NavigableMap<Double, Long> parse(String prometheusText) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(prometheusText);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return buckets;
    }

    /**
     * The upper bound, in microseconds, of the bucket holding the {@code percentile} of what was
     * recorded between the two snapshots; -1 when nothing was, {@code Long.MAX_VALUE} when it lies
     * beyond the last finite bucket.
     */
    static long percentileMicros(Map<Double, Long> before, NavigableMap<Double, Long> after, double percentile) {
        long total = after.getOrDefault(Double.POSITIVE_INFINITY, 0L) - before.getOrDefault(Double.POSITIVE_INFINITY, 0L);
        if (total <= 0) {
            return -1;
        }
        double wanted = total * percentile / 100.0;
        for (Map.Entry<Double, Long> e : after.entrySet()) {
            long cumulative = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (cumulative >= wanted) {
                return e.getKey().isInfinite() ? Long.MAX_VALUE : Math.round(e.getKey() * 1_000_000);
            }
        }
        return Long.MAX_VALUE;
    }
}
