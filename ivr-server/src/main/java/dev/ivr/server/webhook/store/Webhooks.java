package dev.ivr.server.webhook.store;

import dev.ivr.server.config.Redaction;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.HostAllowlist;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.Signing;
import dev.ivr.server.webhook.Subscription;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Managing subscriptions (the API and the CLI): checked input, a new secret sealed at rest and shown once. */
public final class Webhooks {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcWebhooks store;
    private final HostAllowlist allowlist;
    private final SecretBox box;
    private final Clock clock;

    public Webhooks(JdbcWebhooks store, HostAllowlist allowlist, SecretBox box, Clock clock) {
        this.store = store;
        this.allowlist = allowlist;
        this.box = box;
        this.clock = clock;
    }

    /** A new subscription and its secret: the only time the secret is shown. */
    public record Created(Subscription subscription, String secret) {
        /** Without the secret: it is shown once, on purpose, by whoever made the subscription. */
        @Override
        public String toString() {
            return "Created[subscription=" + subscription + ", secret=" + Redaction.secret(secret) + "]";
        }
    }

    /**
     * Adds a subscription.
     *
     * @throws IllegalArgumentException for a URL not allowed, unknown event types, overlong text
     */
    public Created add(String url, List<String> events, String queue, String description, String by) throws SQLException {
        allowlist.check(url);
        Set<JournalEvent.Type> types = Subscription.parseTypes(events);
        if (queue != null && (queue.isBlank() || queue.length() > 200)) {
            throw new IllegalArgumentException("queue must be a queue id (1 to 200 characters)");
        }
        if (description != null && description.length() > 500) {
            throw new IllegalArgumentException("description is longer than 500 characters");
        }
        byte[] raw = new byte[8];
        RANDOM.nextBytes(raw);
        String id = "wh_" + HexFormat.of().formatHex(raw);
        String secret = Signing.newSecret();
        Subscription s = new Subscription(id, url.trim(), types, queue, description, Instant.now(clock).truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS), by);
        store.add(s, box.seal(id, secret));
        return new Created(s, secret);
    }

    public List<JdbcWebhooks.Stored> list() throws SQLException {
        return store.list();
    }

    public Optional<Subscription> get(String id) throws SQLException {
        return store.get(id).map(JdbcWebhooks.Stored::subscription);
    }

    public boolean remove(String id) throws SQLException {
        return store.remove(id);
    }

    public java.util.Map<String, JdbcWebhooks.Counts> counts() throws SQLException {
        return store.counts();
    }

    public List<Delivery> deadLetters(String id, int limit) throws SQLException {
        return store.deadLetters(id, limit);
    }

    /** Puts dead letters back in the queue (all of them, or those ids); how many. */
    public int replay(String id, List<Long> ids) throws SQLException {
        return store.replay(id, ids, clock.instant());
    }
}
