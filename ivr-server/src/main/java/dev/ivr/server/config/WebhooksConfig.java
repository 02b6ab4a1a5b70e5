package dev.ivr.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Webhooks: where journal events may be sent, and how deliveries are retried (docs/integration.md). */
public record WebhooksConfig(
        @Doc("Hosts webhook URLs may point at: exact names or addresses (crm.example.com, 10.0.0.5) or *.example.com for its sub-domains. Empty: no webhook can be added. Checked when a subscription is added and again before every delivery.")
        List<String> allowedHosts,
        @Doc("Allow plain http:// URLs (https only when false). Only for receivers on a trusted network or loopback.")
        boolean allowHttp,
        @Doc("How many deliveries of one webhook are attempted before it goes to the dead-letter list.")
        int maxAttempts,
        @Doc("The wait before the first retry; it doubles with every failed attempt, with random jitter (half to all of it).")
        Duration backoffBase,
        @Doc("The longest wait between two attempts.")
        Duration backoffMax,
        @Doc("How long a receiver has to connect and answer before the attempt counts as failed.")
        Duration timeout,
        @Doc("How many deliveries this server sends at once (all subscriptions together).")
        int concurrency,
        @Doc("A server holds a delivery this long while sending it; when it dies, another server takes the delivery after this time. Must exceed timeout.")
        Duration lease,
        @Doc("How often a server looks for due deliveries.")
        Duration poll,
        @Doc("Delivered webhooks are kept this long (so a journal segment written again after a crash does not send them twice), then deleted.")
        Duration keepDelivered,
        @Doc("The live event stream (GET /api/events/stream) sends a comment line this often, so proxies keep it open.")
        Duration streamHeartbeat) implements Validated {

    public WebhooksConfig {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void validate(Problems p) {
        for (int i = 0; i < allowedHosts.size(); i++) {
            String h = allowedHosts.get(i);
            if (!h.matches("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?") && !h.matches("\\[[0-9a-f:]+]")) {
                p.add("allowed-hosts[" + i + "]", "must be a host name, an address or *.domain (got '" + h + "')");
            }
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            p.add("max-attempts", "must be between 1 and 100 (got " + maxAttempts + ")");
        }
        p.positive("backoff-base", backoffBase);
        p.positive("backoff-max", backoffMax);
        p.positive("timeout", timeout);
        p.positive("lease", lease);
        p.positive("poll", poll);
        p.positive("keep-delivered", keepDelivered);
        p.positive("stream-heartbeat", streamHeartbeat);
        if (concurrency < 1 || concurrency > 256) {
            p.add("concurrency", "must be between 1 and 256 (got " + concurrency + ")");
        }
        if (backoffBase != null && backoffMax != null && backoffMax.compareTo(backoffBase) < 0) {
            p.add("backoff-max", "must be at least backoff-base");
        }
        if (lease != null && timeout != null && lease.compareTo(timeout.multipliedBy(2)) < 0) {
            p.add("lease", "must be at least twice the timeout (" + DurationText.format(timeout) + ")");
        }
    }
}
