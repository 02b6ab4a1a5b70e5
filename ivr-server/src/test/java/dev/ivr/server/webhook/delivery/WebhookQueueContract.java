package dev.ivr.server.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.config.WebhooksConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.webhook.HostAllowlist;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.Signing;
import dev.ivr.server.webhook.store.Delivery;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import dev.ivr.server.webhook.store.Webhooks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery queue and its senders on a real database, with the receiver's answers scripted. */
abstract class WebhookQueueContract {
    static final WebhooksConfig CONFIG = new WebhooksConfig(List.of("127.0.0.1"), true, 3, Duration.ofMillis(10),
            Duration.ofMillis(40), Duration.ofSeconds(2), 4, Duration.ofSeconds(5), Duration.ofMillis(20),
            Duration.ofDays(1), Duration.ofSeconds(15));

    protected abstract Database open() throws Exception;

    final List<AutoCloseable> toClose = new ArrayList<>();
    final SecretBox box = new SecretBox(filled(32));
    Instant t0;
    Database db;
    JdbcWebhooks store;
    Webhooks webhooks;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 3);
        return b;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = open();
        toClose.add(db);
        assertThat(db.awaitReady(Duration.ofSeconds(30))).as(db.health().detail()).isTrue();
        store = new JdbcWebhooks(db.dataSource());
        t0 = Instant.now().plusSeconds(1); // after the subscriptions the tests make
        webhooks = new Webhooks(store, new HostAllowlist(CONFIG.allowedHosts(), true), box, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    JournalEvent event(int ms, Type type, String call) {
        return JournalEvent.of(t0.plusMillis(ms), type, call, "main", null, "billing", null, null, null, null, "n1");
    }

    void journal(List<JournalEvent> batch) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            store.fanOut(c, batch);
            c.commit();
        }
    }

    /** A receiver that answers what {@code answer} says for each event id, and records what it took. */
    static final class Receiver implements WebhookSender.Transport {
        final List<String> taken = new CopyOnWriteArrayList<>();
        final List<String> tried = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        volatile java.util.function.BiFunction<String, Integer, Integer> answer = (id, n) -> 200;
        final String secret;
        volatile boolean signaturesOk = true;

        Receiver(String secret) {
            this.secret = secret;
        }

        @Override
        public int post(HttpRequest request) {
            String id = request.headers().firstValue(Signing.EVENT_ID).orElseThrow();
            String ts = request.headers().firstValue(Signing.TIMESTAMP).orElseThrow();
            String sig = request.headers().firstValue(Signing.SIGNATURE).orElseThrow();
            if (!sig.startsWith("v1=") || sig.length() != 67 || Math.abs(Long.parseLong(ts) - Instant.now().getEpochSecond()) > 5) {
                signaturesOk = false;
            }
            int n = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            tried.add(id);
            int status = answer.apply(id, n);
            if (status / 100 == 2) {
                taken.add(id);
            }
            return status;
        }
    }

    WebhookSender sender(Receiver receiver, String owner) {
        return sender(receiver, owner, box);
    }

    WebhookSender sender(Receiver receiver, String owner, SecretBox key) {
        WebhookSender s = new WebhookSender(store, db::isReady, CONFIG, key, owner, Clock.systemUTC(), meters, receiver);
        toClose.add(s);
        return s.start();
    }

    double count(String sub, String result) {
        var c = meters.find("ivr.webhook.deliveries").tag("subscription", sub).tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void eventsOfOneCallArriveInOrderEvenWhenOneNeedsRetries() throws Exception {
        Webhooks.Created sub = webhooks.add("http://127.0.0.1:9/in", List.of("*"), null, null, "test");
        List<JournalEvent> c1 = List.of(event(0, Type.CALL_ENTERED, "c1"), event(1, Type.CALL_QUEUED, "c1"),
                event(2, Type.CALL_ANSWERED, "c1"), event(3, Type.CALL_ENDED, "c1"));
        List<JournalEvent> c2 = List.of(event(0, Type.CALL_ENTERED, "c2"), event(5, Type.CALL_ENDED, "c2"));
        List<JournalEvent> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(c1.get(i));
            if (i < 2) {
                all.add(c2.get(i));
            }
        }
        journal(all);
        Receiver r = new Receiver(sub.secret());
        String first = c1.get(0).id();
        r.answer = (id, n) -> id.equals(first) && n < 3 ? 500 : 200; // c1's first event fails twice
        sender(r, "node-a");
        sender(r, "node-b"); // two servers work from the same queue
        await().atMost(Duration.ofSeconds(20)).until(() -> r.taken.size() == 6);
        assertThat(r.taken.stream().filter(id -> c1.stream().anyMatch(e -> e.id().equals(id))).toList())
                .containsExactlyElementsOf(c1.stream().map(JournalEvent::id).toList());
        assertThat(r.taken.stream().filter(id -> c2.stream().anyMatch(e -> e.id().equals(id))).toList())
                .containsExactlyElementsOf(c2.stream().map(JournalEvent::id).toList());
        // nothing of c1 was even tried before its first event got through
        assertThat(r.tried.subList(0, r.tried.lastIndexOf(first)).stream()
                .filter(id -> c1.stream().skip(1).anyMatch(e -> e.id().equals(id)))).isEmpty();
        assertThat(r.attempts.get(first).get()).isEqualTo(3);
        assertThat(r.signaturesOk).isTrue();
        // the delivery rows are written after the receiver answered: on a loaded machine that takes a while
        await().atMost(Duration.ofSeconds(20)).until(() -> count(sub.subscription().id(), "delivered") == 6);
        assertThat(count(sub.subscription().id(), "failed")).isEqualTo(2);
    }

    @Test
    void afterMaxAttemptsADeliveryIsDeadLetteredTheCallGoesOnAndReplaySendsIt() throws Exception {
        Webhooks.Created sub = webhooks.add("http://127.0.0.1:9/in", List.of("call.queued", "call.ended"), "billing", null, "t");
        String id = sub.subscription().id();
        JournalEvent queued = event(0, Type.CALL_QUEUED, "c1");
        JournalEvent answered = event(1, Type.CALL_ANSWERED, "c1"); // not subscribed
        JournalEvent ended = event(2, Type.CALL_ENDED, "c1");
        journal(List.of(queued, answered, ended));
        Receiver r = new Receiver(sub.secret());
        r.answer = (e, n) -> e.equals(queued.id()) ? 503 : 200;
        sender(r, "node-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> r.taken.contains(ended.id()));
        assertThat(r.attempts.get(queued.id()).get()).isEqualTo(CONFIG.maxAttempts());
        assertThat(r.attempts).doesNotContainKey(answered.id());
        List<Delivery> dead = webhooks.deadLetters(id, 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(queued.id());
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.lastStatus()).isEqualTo(503);
            assertThat(d.lastError()).isEqualTo("HTTP 503");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> count(id, "dead") == 1);
        assertThat(count(id, "failed")).isEqualTo(2);
        assertThat(webhooks.counts().get(id)).isEqualTo(new JdbcWebhooks.Counts(0, 1));

        r.answer = (e, n) -> 200; // the receiver is fixed: the operator replays
        assertThat(webhooks.replay(id, null)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.taken.contains(queued.id()));
        assertThat(webhooks.deadLetters(id, 10)).isEmpty();
        assertThat(r.attempts.get(queued.id()).get()).isEqualTo(4);
    }

    @Test
    void aSecretSealedUnderAnotherClusterSecretIsDeadLetteredNotRetriedForever() throws Exception {
        Webhooks.Created sub = webhooks.add("http://127.0.0.1:9/in", List.of("*"), null, null, "t");
        journal(List.of(event(0, Type.CALL_ENDED, "c1")));
        byte[] other = filled(32);
        other[0] = 9;
        Receiver r = new Receiver(sub.secret());
        sender(r, "node-a", new SecretBox(other));
        await().atMost(Duration.ofSeconds(20)).until(() -> !webhooks.deadLetters(sub.subscription().id(), 10).isEmpty());
        assertThat(webhooks.deadLetters(sub.subscription().id(), 10).getFirst().lastError()).contains("another cluster secret");
        assertThat(r.tried).as("nothing unsigned or wrongly signed was sent").isEmpty();
    }

    @Test
    void aDeadServersLeaseRunsOutAndAnotherServerTakesTheDelivery() throws Exception {
        Webhooks.Created sub = webhooks.add("http://127.0.0.1:9/in", List.of("*"), null, null, "t");
        journal(List.of(event(0, Type.CALL_ENTERED, "c1"), event(1, Type.CALL_ENDED, "c1")));
        Instant now = Instant.now();
        List<Delivery> a = store.claim("node-a", now, now.plusSeconds(60), 10);
        assertThat(a).hasSize(1); // only the head of the call
        assertThat(store.claim("node-b", now.plusSeconds(30), now.plusSeconds(90), 10)).isEmpty();
        List<Delivery> b = store.claim("node-b", now.plusSeconds(61), now.plusSeconds(121), 10);
        assertThat(b).extracting(Delivery::id).containsExactly(a.get(0).id());
        assertThat(store.delivered(a.get(0).id(), "node-a", now.plusSeconds(62), 200)).as("node-a lost its lease").isFalse();
        assertThat(store.delivered(b.get(0).id(), "node-b", now.plusSeconds(62), 200)).isTrue();
        assertThat(store.claim("node-b", now.plusSeconds(63), now.plusSeconds(123), 10)).extracting(Delivery::eventType)
                .containsExactly("call.ended");
        assertThat(webhooks.remove(sub.subscription().id())).isTrue();
        assertThat(store.claim("node-b", now.plusSeconds(200), now.plusSeconds(260), 10)).isEmpty();
    }

    @Test
    void aBatchWrittenAgainAfterACrashQueuesNothingTwice() throws Exception {
        webhooks.add("http://127.0.0.1:9/in", List.of("call.ended"), null, null, "t");
        List<JournalEvent> batch = List.of(event(0, Type.CALL_ENTERED, "c1"), event(1, Type.CALL_ENDED, "c1"));
        journal(batch);
        journal(batch);
        Instant now = Instant.now();
        assertThat(store.claim("n", now, now.plusSeconds(10), 10)).hasSize(1);
        assertThat(webhooks.list()).singleElement().satisfies(s ->
                assertThat(box.open(s.subscription().id(), s.sealedSecret())).startsWith("whsec_"));
    }
}
