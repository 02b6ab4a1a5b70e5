package dev.ivr.server.desk.sessions;

import dev.ivr.server.desk.users.User;
import dev.ivr.server.testing.OneMember;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sessions, tickets and lockouts on a real Hazelcast member. */
@Tag("integration")
class SessionsIT {
    @RegisterExtension
    static final OneMember CLUSTER = new OneMember("sessions-test");

    /** The tests share the cluster's maps: their tokens are random and their user ids distinct. */
    static Sessions sessions(Duration idle) {
        return new Sessions(CLUSTER.hazelcast(), idle, Duration.ofHours(1), Duration.ofSeconds(30), 3, 5,
                Duration.ofMinutes(5), Clock.systemUTC());
    }

    static User user(String id, Set<String> roles) {
        return new User(id, id + " Name", roles, roles.contains("agent") ? "PJSIP/" + id : null, Map.of("billing", 5),
                Set.of("en"), true, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void aSessionCarriesTheUsersProfileAndEndsOnSignOut() {
        Sessions s = sessions(Duration.ofMinutes(5));
        List<String> ended = new CopyOnWriteArrayList<>();
        var reg = s.onEnd(ended::add);
        String token = s.open(user("alice", Set.of("agent")));
        Session session = s.find(token).orElseThrow();
        assertThat(session.agentId()).isEqualTo("alice");
        assertThat(session.endpoint()).isEqualTo("PJSIP/alice");
        assertThat(session.skills()).containsEntry("billing", 5);
        assertThat(s.resolve(token).orElseThrow().roles()).containsExactly("agent");
        assertThat(CLUSTER.hazelcast().getMap(Sessions.SESSIONS).containsKey(token)).isFalse(); // only its hash is kept
        assertThat(s.resolve("nope")).isEmpty();
        assertThat(s.close(token)).isTrue();
        assertThat(s.find(token)).isEmpty();
        assertThat(s.close(token)).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> ended.contains(Sessions.keyOf(token)));
        s.removeListener(reg);

        String sup = s.open(user("sam", Set.of("supervisor")));
        assertThat(s.find(sup).orElseThrow().agentId()).isNull();
    }

    @Test
    void anIdleSessionExpiresAndItsEndIsReported() {
        Sessions s = sessions(Duration.ofSeconds(1));
        List<String> ended = new CopyOnWriteArrayList<>();
        var reg = s.onEnd(ended::add);
        String token = s.open(user("bob", Set.of("agent")));
        await().atMost(Duration.ofSeconds(60)).until(() -> s.find(token).isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> ended.contains(Sessions.keyOf(token)));
        s.removeListener(reg);
    }

    @Test
    void aTicketIsRedeemedOnceForItsSession() {
        Sessions s = sessions(Duration.ofMinutes(5));
        String token = s.open(user("carol", Set.of("agent")));
        String ticket = s.ticket(token).orElseThrow();
        assertThat(ticket).isNotEqualTo(token);
        Sessions.Ref ref = s.redeem(ticket).orElseThrow();
        assertThat(ref.key()).isEqualTo(Sessions.keyOf(token));
        assertThat(ref.session().userId()).isEqualTo("carol");
        assertThat(s.redeem(ticket)).isEmpty();
        assertThat(s.ticket("not-a-session")).isEmpty();
        // a ticket of a session that ended opens nothing
        String late = s.ticket(token).orElseThrow();
        s.close(token);
        assertThat(s.redeem(late)).isEmpty();
    }

    @Test
    void attemptsAreCountedPerUserAndAddressAndPerAddress() {
        Sessions s = sessions(Duration.ofMinutes(5));
        String attacker = "192.0.2.66";
        for (int i = 0; i < 3; i++) {
            assertThat(s.attempt("dave", attacker)).as("attempt %d", i + 1).isEmpty();
        }
        assertThat(s.attempt("dave", attacker)).contains(Sessions.Refusal.USER_FROM_ADDRESS);
        assertThat(s.attempt("Dave", attacker)).as("ids are counted without case").contains(Sessions.Refusal.USER_FROM_ADDRESS);
        // dave from his own desk is not affected
        assertThat(s.attempt("dave", "198.51.100.7")).isEmpty();
        s.succeeded("dave", "198.51.100.7");
        // the attacker's address has now used its 5 attempts, whatever the id
        assertThat(s.attempt("erin", attacker)).contains(Sessions.Refusal.ADDRESS);
        // an attempt that was never checked is forgiven
        assertThat(s.attempt("fred", "203.0.113.9")).isEmpty();
        s.forgive("fred", "203.0.113.9");
        for (int i = 0; i < 3; i++) {
            assertThat(s.attempt("fred", "203.0.113.9")).isEmpty();
        }
        // a right password clears the count for that id and address
        s.succeeded("fred", "203.0.113.9");
        assertThat(s.attempt("fred", "203.0.113.9")).isEmpty();
    }

    @Test
    void parallelAttemptsAreCountedAtomically() throws Exception {
        // an address budget above the attempts made: only the per-id-and-address limit decides here
        Sessions s = new Sessions(CLUSTER.hazelcast(), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30), 3,
                100, Duration.ofMinutes(5), Clock.systemUTC());
        int parallel = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Boolean>> allowed = new java.util.ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            allowed.add(pool.submit(() -> {
                go.await();
                return s.attempt("grace", "192.0.2.77").isEmpty();
            }));
        }
        go.countDown();
        int checked = 0;
        for (var f : allowed) {
            checked += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void throttlingKeysAreBoundedWhateverTheIdLength() {
        Sessions s = sessions(Duration.ofMinutes(5));
        s.attempt("x".repeat(100_000), "192.0.2.88");
        assertThat(CLUSTER.hazelcast().getMap(Sessions.FAILURES).keySet()).allMatch(k -> k.toString().length() < 64);
    }

    @Test
    void closeAllEndsEverySessionOfOneUser() {
        Sessions s = sessions(Duration.ofMinutes(5));
        String t1 = s.open(user("frank", Set.of("agent")));
        String t2 = s.open(user("frank", Set.of("agent")));
        String other = s.open(user("gina", Set.of("agent")));
        assertThat(s.closeAll("frank")).containsExactlyInAnyOrder(Sessions.keyOf(t1), Sessions.keyOf(t2));
        assertThat(s.find(t1)).isEmpty();
        assertThat(s.find(t2)).isEmpty();
        assertThat(s.find(other)).isPresent();
    }
}
