package dev.ivr.server.webhook.delivery;

import dev.ivr.server.config.Redaction;
import dev.ivr.server.config.WebhooksConfig;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.webhook.Backoff;
import dev.ivr.server.webhook.HostAllowlist;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.Signing;
import dev.ivr.server.webhook.Subscription;
import dev.ivr.server.webhook.store.Delivery;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Sends webhooks from the delivery queue: the {@code webhook-poller} thread claims due deliveries by lease (as
 * many as there are free senders, {@code webhooks.concurrency}) and each is POSTed on its own virtual thread with
 * {@code webhooks.timeout}; nothing here runs on a call's thread, so a receiver that is down or slow never slows a
 * call. 2xx: delivered. Anything else (status, refused connection, timeout): retried after {@link Backoff}, and after
 * {@code webhooks.max-attempts} attempts moved to the dead-letter list. Metrics per subscription:
 * {@code ivr.webhook.deliveries{subscription,result=delivered|failed|dead}}, {@code ivr.webhook.latency} (event
 * to acknowledgement), {@code ivr.webhook.pending} and {@code ivr.webhook.dead.letters}.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration SUBSCRIPTIONS_FRESH = Duration.ofSeconds(10);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(15);

    private final JdbcWebhooks store;
    private final BooleanSupplier ready;
    private final WebhooksConfig config;
    private final HostAllowlist allowlist;
    private final SecretBox box;
    private final String owner;
    private final Clock clock;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private final Semaphore senders;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
    private final Transport transport;
    private final HttpClient http;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final MultiGauge pendingGauge;
    private final MultiGauge deadGauge;
    private volatile boolean closed;
    private Thread poller;
    private Instant lastHousekeeping = Instant.EPOCH;

    /** How a request reaches the receiver: the JDK's HTTP client (tests script the answers). */
    @FunctionalInterface
    interface Transport {
        /** The receiver's status; throws as {@link HttpClient#send} does (a timeout, a refused connection). */
        int post(HttpRequest request) throws IOException, InterruptedException;
    }

    /** A subscription ready to send to: its secret opened. */
    private record Target(Subscription subscription, String secret, Instant loaded) {
        @Override
        public String toString() {
            return "Target[subscription=" + subscription + ", secret=" + Redaction.secret(secret) + ", loaded=" + loaded + "]";
        }
    }

    /**
     * @param ready whether the database schema is there
     * @param owner this server's name: the holder of its leases
     */
    public WebhookSender(JdbcWebhooks store, BooleanSupplier ready, WebhooksConfig config, SecretBox box, String owner,
                         Clock clock, MeterRegistry meters) {
        this(store, ready, config, box, owner, clock, meters, null);
    }

    WebhookSender(JdbcWebhooks store, BooleanSupplier ready, WebhooksConfig config, SecretBox box, String owner,
                  Clock clock, MeterRegistry meters, Transport transport) {
        this.store = store;
        this.ready = ready;
        this.config = config;
        this.allowlist = new HostAllowlist(config.allowedHosts(), config.allowHttp());
        this.box = box;
        this.owner = owner;
        this.clock = clock;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.meters = meters;
        this.senders = new Semaphore(config.concurrency());
        if (transport == null) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(config.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).executor(threads).build();
            this.http = http;
            this.transport = r -> http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } else {
            this.http = null;
            this.transport = transport;
        }
        this.pendingGauge = MultiGauge.builder("ivr.webhook.pending")
                .description("Webhook deliveries waiting to be sent, per subscription (cluster-wide)").register(meters);
        this.deadGauge = MultiGauge.builder("ivr.webhook.dead.letters")
                .description("Webhook deliveries in the dead-letter list, per subscription (cluster-wide)").register(meters);
    }

    /** Starts the poller. */
    public WebhookSender start() {
        poller = BackgroundThreads.start("webhook-poller", this::pollLoop);
        return this;
    }

    /** Looks for due deliveries now rather than at the next poll. */
    public void wake() {
        Thread p = poller;
        if (p != null) {
            LockSupport.unpark(p);
        }
    }

    /** Forgets a removed subscription (its secret, its metrics). */
    public void forget(String subscriptionId) {
        targets.remove(subscriptionId);
        meters.getMeters().stream().filter(m -> subscriptionId.equals(m.getId().getTag("subscription"))
                && m.getId().getName().startsWith("ivr.webhook.")).toList().forEach(meters::remove);
    }

    private void pollLoop() {
        while (!closed) {
            boolean more = false;
            try {
                if (ready.getAsBoolean()) {
                    more = pollOnce();
                    housekeeping();
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("webhook queue unavailable: {}", e.toString());
            }
            if (!more && !closed) {
                LockSupport.parkNanos(this, config.poll().toNanos());
            }
        }
    }

    /** Claims and starts what is due; true when there may be more due right now. */
    boolean pollOnce() throws SQLException {
        int free = senders.availablePermits();
        if (free == 0) {
            return false;
        }
        Instant now = clock.instant();
        List<Delivery> due = store.claim(owner, now, now.plus(config.lease()), free);
        for (Delivery d : due) {
            senders.acquireUninterruptibly();
            threads.execute(() -> {
                try {
                    send(d);
                } finally {
                    senders.release();
                    wake();
                }
            });
        }
        return due.size() == free && senders.availablePermits() > 0;
    }

    private void send(Delivery d) {
        int attempt = d.attempts() + 1;
        Target t;
        try {
            t = target(d.subscriptionId());
        } catch (SQLException e) {
            LOG.warn("webhook {} delivery {}: cannot read the subscription: {}", d.subscriptionId(), d.id(), e.toString());
            return; // the lease runs out and it is tried again
        } catch (IllegalStateException e) { // the secret does not open: the cluster secret changed
            failed(d, attempt, null, e.getMessage());
            return;
        }
        if (t == null) {
            return; // removed meanwhile: its deliveries are gone
        }
        URI uri;
        try {
            uri = allowlist.check(t.subscription().url());
        } catch (IllegalArgumentException e) {
            failed(d, attempt, null, "refused: " + e.getMessage());
            return;
        }
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        long ts = clock.instant().getEpochSecond();
        int status;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "ivr-webhooks/1")
                    .header(Signing.TIMESTAMP, Long.toString(ts))
                    .header(Signing.SIGNATURE, Signing.sign(t.secret(), ts, body))
                    .header(Signing.EVENT_ID, d.eventId())
                    .header(Signing.EVENT_TYPE, d.eventType())
                    .header(Signing.DELIVERY, Long.toString(d.id()))
                    .header(Signing.ATTEMPT, Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            status = transport.post(request);
        } catch (java.net.http.HttpConnectTimeoutException e) {
            failed(d, attempt, null, "could not connect within " + config.timeout().toMillis() + " ms");
            return;
        } catch (HttpTimeoutException e) {
            failed(d, attempt, null, "no answer within " + config.timeout().toMillis() + " ms");
            return;
        } catch (IOException e) {
            failed(d, attempt, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) { // e.g. a URL the HTTP client refuses: fails like any attempt, never loops
            failed(d, attempt, null, e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        if (status >= 200 && status < 300) {
            Instant now = clock.instant();
            try {
                if (!store.delivered(d.id(), owner, now, status)) {
                    LOG.warn("webhook {} delivery {} was delivered after its lease ran out (it may be sent again)",
                            d.subscriptionId(), d.id());
                }
            } catch (SQLException e) {
                LOG.warn("webhook {} delivery {} was delivered but cannot be marked so ({}): it will be sent again",
                        d.subscriptionId(), d.id(), e.toString());
            }
            counter(d.subscriptionId(), "delivered").increment();
            Timer.builder("ivr.webhook.latency").tag("subscription", d.subscriptionId())
                    .description("From the event to the receiver's acknowledgement").register(meters)
                    .record(Duration.between(d.occurredAt(), now).isNegative() ? Duration.ZERO : Duration.between(d.occurredAt(), now));
            LOG.debug("webhook {} delivery {} ({}) delivered, attempt {}", d.subscriptionId(), d.id(), d.eventType(), attempt);
            return;
        }
        failed(d, attempt, status, "HTTP " + status);
    }

    private void failed(Delivery d, int attempt, Integer status, String error) {
        Instant now = clock.instant();
        try {
            if (attempt >= config.maxAttempts()) {
                store.dead(d.id(), owner, now, status, error);
                counter(d.subscriptionId(), "dead").increment();
                LOG.warn("webhook {} delivery {} ({}) dead-lettered after {} attempts: {}", d.subscriptionId(), d.id(),
                        d.eventType(), attempt, error);
            } else {
                Duration wait = backoff.delay(attempt);
                store.retry(d.id(), owner, now.plus(wait), status, error);
                counter(d.subscriptionId(), "failed").increment();
                LOG.info("webhook {} delivery {} ({}) attempt {} failed ({}); next in {} ms", d.subscriptionId(), d.id(),
                        d.eventType(), attempt, error, wait.toMillis());
            }
        } catch (SQLException e) {
            LOG.warn("webhook {} delivery {}: cannot record the failed attempt ({}); it is tried again after its lease",
                    d.subscriptionId(), d.id(), e.toString());
        }
    }

    private Counter counter(String subscription, String result) {
        return Counter.builder("ivr.webhook.deliveries").tag("subscription", subscription).tag("result", result)
                .description("Webhook delivery attempts by result: delivered, failed (to be retried), dead (dead-lettered)")
                .register(meters);
    }

    private Target target(String id) throws SQLException {
        Target t = targets.get(id);
        Instant now = clock.instant();
        if (t == null || t.loaded().plus(SUBSCRIPTIONS_FRESH).isBefore(now)) {
            var stored = store.get(id);
            if (stored.isEmpty()) {
                targets.remove(id);
                return null;
            }
            t = new Target(stored.get().subscription(), box.open(id, stored.get().sealedSecret()), now);
            targets.put(id, t);
        }
        return t;
    }

    private void housekeeping() throws SQLException {
        Instant now = clock.instant();
        if (lastHousekeeping.plus(HOUSEKEEPING).isAfter(now)) {
            return;
        }
        lastHousekeeping = now;
        int purged = store.purgeDelivered(now.minus(config.keepDelivered()));
        if (purged > 0) {
            LOG.debug("{} delivered webhook(s) older than {} deleted", purged, config.keepDelivered());
        }
        Map<String, JdbcWebhooks.Counts> counts = store.counts();
        var subs = store.list();
        pendingGauge.register(subs.stream().map(s -> MultiGauge.Row.of(Tags.of("subscription", s.subscription().id()),
                counts.getOrDefault(s.subscription().id(), new JdbcWebhooks.Counts(0, 0)).pending())).toList(), true);
        deadGauge.register(subs.stream().map(s -> MultiGauge.Row.of(Tags.of("subscription", s.subscription().id()),
                counts.getOrDefault(s.subscription().id(), new JdbcWebhooks.Counts(0, 0)).dead())).toList(), true);
    }

    @Override
    public void close() {
        closed = true;
        Thread p = poller;
        if (p != null) {
            LockSupport.unpark(p);
            try {
                p.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                threads.shutdownNow(); // their leases run out and the deliveries are sent again
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) {
            http.close();
        }
    }
}
