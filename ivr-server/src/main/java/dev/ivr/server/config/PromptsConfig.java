package dev.ivr.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

public record PromptsConfig(
        @Doc("Directory of prompt catalogs: prompts/<language>/*.yaml.")
        Path dir,
        @Doc("Sound formats every prompt is rendered to: wav (8 kHz 16-bit mono, format_wav) and/or sln16 (16 kHz signed linear, for wideband channels). Asterisk picks the best one itself.")
        List<String> formats,
        @Doc("Where rendered prompts are cached, by content hash. Empty: <data-dir>/prompt-cache. In directory delivery this is the directory Asterisk reads (shared with the PBX).")
        String cacheDir,
        @Doc("Render every static prompt (catalog texts without variables, recordings, number and date segments) in the background at start, with progress in the log.")
        boolean prerender,
        @Doc("For prompts whose text speaks to the caller through customer fields (e.g. Hello ${customer.first_name}): how many of the CRM's most frequent values of those fields are rendered in the background at start, behind everything calls wait for, so that the first callers with common names hear their greeting at once (the rest render on their first call, the prompt's fallback said meanwhile). In a cluster each is rendered by one server and copied by the others. At most half of one CPU, after the static prompts; only with prerender. 0: off.")
        int prerenderCustomerValues,
        @Doc("Longest a call waits for a prompt that is not cached yet; past it the prompt is skipped with a log line (and cached for the next caller).")
        Duration latencyBudget,
        @Doc("Memory per cluster member for rendered prompts shared between servers (MB, least recently used evicted first).")
        int clusterCacheMb,
        @Doc("How Asterisk gets the audio: directory (it reads the cache directory, see asterisk-dir) or http (it fetches http-url/<hash>.wav through its media cache).")
        String delivery,
        @Doc("Directory delivery: the cache directory's path as the PBX sees it (e.g. /mnt/ivr-prompts when cache-dir /var/lib/ivr/prompts is mounted there). Empty: the same path.")
        String asteriskDir,
        @Doc("HTTP delivery: the base URL Asterisk fetches prompts from, e.g. http://ivr-1.example.com:8080/prompts. Empty: http://<http.bind>:<http.port>/prompts.")
        String httpUrl,
        @Doc("HTTP delivery: addresses (CIDR) allowed to fetch /prompts/*. Asterisk's media cache cannot send a token, so this allowlist guards it. Empty: the same as agi.allow.")
        List<String> httpAllow) implements Validated {

    private static final Set<String> DELIVERIES = Set.of("directory", "http");

    public PromptsConfig {
        formats = formats == null ? List.of() : List.copyOf(formats);
        httpAllow = httpAllow == null ? List.of() : List.copyOf(httpAllow);
    }

    @Override
    public void validate(Problems p) {
        if (dir == null) {
            p.add("dir", "must be set");
        }
        if (formats.isEmpty()) {
            p.add("formats", "must name at least one format: wav, sln16");
        }
        for (int i = 0; i < formats.size(); i++) {
            try {
                dev.ivr.server.audio.AsteriskFormat.of(formats.get(i));
            } catch (IllegalArgumentException e) {
                p.add("formats[" + i + "]", e.getMessage());
            }
        }
        p.positive("latency-budget", latencyBudget);
        if (prerenderCustomerValues < 0) {
            p.add("prerender-customer-values", "must be 0 (off) or more (got " + prerenderCustomerValues + ")");
        }
        if (clusterCacheMb < 1) {
            p.add("cluster-cache-mb", "must be at least 1 (got " + clusterCacheMb + ")");
        }
        if (delivery == null || !DELIVERIES.contains(delivery)) {
            p.add("delivery", "must be directory or http (got " + delivery + ")");
        }
        if (asteriskDir != null && !asteriskDir.isBlank() && !asteriskDir.startsWith("/")) {
            p.add("asterisk-dir", "must be an absolute path as the PBX sees it (got " + asteriskDir + ")");
        }
        if (httpUrl != null && !httpUrl.isBlank() && !httpUrl.matches("https?://[^\\s/]+(/[^\\s?#]*)?")) {
            p.add("http-url", "must be an http(s) URL without query, e.g. http://ivr-1:8080/prompts (got "
                    + Redaction.url(httpUrl) + ")");
        }
        p.cidrs("http-allow", httpAllow);
    }

    /** The cache directory, resolved against the data directory when not configured. */
    public Path cacheDir(Path dataDir) {
        return cacheDir == null || cacheDir.isBlank() ? dataDir.resolve("prompt-cache")
                : Path.of(cacheDir).toAbsolutePath().normalize();
    }
}
