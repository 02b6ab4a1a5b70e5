package dev.ivr.server.desk.exits;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.testing.OneMember;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** IVR exit counts on a real Hazelcast member, with a clock the test moves. */
@Tag("integration")
class IvrExitsIT {
    /** Each test's member of its own: the tests count the same flows. */
    @RegisterExtension
    final OneMember cluster = new OneMember("exits-test");

    @Test
    void exitsAreCountedPerFlowNodeOverTheWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-02T10:00:00Z"));
        IvrExits exits = new IvrExits(cluster.hazelcast(), Duration.ofHours(24), clock);
        AtomicBoolean changed = new AtomicBoolean();
        exits.listen(() -> changed.set(true));
        for (int i = 0; i < 3; i++) {
            exits.exit("customer-service", "main-menu");
        }
        exits.exit("verify-caller", "ask-pin");
        exits.call("customer-service");
        exits.call("customer-service");
        IvrExits.Snapshot s = exits.snapshot();
        assertThat(s.exits()).containsExactly(new IvrExits.Exit("customer-service", "main-menu", 3),
                new IvrExits.Exit("verify-caller", "ask-pin", 1));
        assertThat(s.calls()).containsEntry("customer-service", 2L);
        assertThat(s.totalExits()).isEqualTo(4);
        await().untilTrue(changed);

        // 12 hours later: still in the window; one more
        clock.advance(Duration.ofHours(12));
        exits.exit("customer-service", "main-menu");
        assertThat(exits.snapshot().exits().get(0).count()).isEqualTo(4);
        // a day after the first ones: only the later one is left
        clock.advance(Duration.ofHours(13));
        assertThat(exits.snapshot().exits()).containsExactly(new IvrExits.Exit("customer-service", "main-menu", 1));
        clock.advance(Duration.ofHours(13));
        assertThat(exits.snapshot().exits()).isEmpty();
        assertThat(exits.snapshot().totalCalls()).isZero();
    }

    /**
     * A call's end counts its exit without waiting for the key's partition: with the flow's key locked (its entry
     * processors wait), the observer returns at once; the counts are there once the lock is gone, as the desk reads them.
     */
    @Test
    void aCallsEndDoesNotWaitForTheCount() throws Exception {
        IvrExits exits = new IvrExits(cluster.hazelcast(), Duration.ofHours(24), Clock.systemUTC());
        AtomicBoolean changed = new AtomicBoolean();
        exits.listen(() -> changed.set(true));
        com.hazelcast.map.IMap<String, IvrExits.Buckets> map = cluster.hazelcast().getMap(IvrExits.MAP);
        map.lock("customer-service\n*");
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            var observer = exits.observer();
            observer.node("customer-service", new Node.Hangup(new Node.Info("main-menu", "menu", null, null, null), null));
            observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-1",
                    "+3612345678", "1000", "customer-service", "1", Instant.now(), Instant.now(), List.of("main-menu"),
                    Map.of(), null, null, null, null, null, null, Interaction.Outcome.ABANDONED_IN_IVR, "n1")));
        });
        await().until(ended::isDone);
        ended.get();
        await().until(() -> exits.snapshot().totalExits() == 1);
        assertThat(exits.snapshot().exits()).containsExactly(new IvrExits.Exit("customer-service", "main-menu", 1));
        assertThat(exits.snapshot().totalCalls()).as("the flow's key is locked: not counted yet").isZero();
        map.unlock("customer-service\n*");
        await().until(() -> exits.snapshot().totalCalls() == 1);
        assertThat(exits.snapshot().calls()).containsEntry("customer-service", 1L);
        await().untilTrue(changed);
    }

    /**
     * The ends of many calls are counted with a few entry processors on the flow's key, not one each: every one
     * changes the entry (one change event each), and 200 calls' ends make far fewer changes than 200; all are counted.
     */
    @Test
    void callsEndingTogetherAreCountedTogether() throws Exception {
        IvrExits exits = new IvrExits(cluster.hazelcast(), Duration.ofHours(24), Clock.systemUTC());
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        exits.listen(changes::incrementAndGet);
        for (int i = 0; i < 200; i++) {
            var observer = exits.observer();
            observer.node("simple", new Node.Hangup(new Node.Info("goodbye", "hangup", null, null, null), null));
            observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-" + i,
                    "+3612345678", "1000", "simple", "1", Instant.now(), Instant.now(), List.of("goodbye"),
                    Map.of(), null, null, null, null, null, null, Interaction.Outcome.SELF_SERVED, "n1")));
        }
        await().until(() -> exits.snapshot().totalCalls() == 200);
        assertThat(exits.snapshot().exits()).isEmpty();
        assertThat(changes.get()).as("entry processors on the flow's key").isGreaterThan(0).isLessThan(50);
        exits.call("simple"); // counted at once, as before
        assertThat(exits.snapshot().calls()).containsEntry("simple", 201L);
    }

    private static void endCall(IvrExits exits, String id) {
        var observer = exits.observer();
        observer.node("simple", new Node.Hangup(new Node.Info("goodbye", "hangup", null, null, null), null));
        observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction(id,
                "+3612345678", "1000", "simple", "1", Instant.now(), Instant.now(), List.of("goodbye"),
                Map.of(), null, null, null, null, null, null, Interaction.Outcome.SELF_SERVED, "n1")));
    }

    /**
     * The server's stop: the counts waiting to be sent go at once and the stop returns when the cluster has them (it
     * shuts down next); a call cut after that (its end runs later) is sent at once, not by a thread 250 ms later.
     */
    @Test
    void theStopSendsWhatWaitsAndWaitsForTheCluster() {
        IvrExits exits = new IvrExits(cluster.hazelcast(), Duration.ofHours(24), Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            endCall(exits, "call-" + i);
        }
        exits.stop();
        assertThat(exits.unsent()).isZero();
        assertThat(exits.inFlight()).as("the stop waited for the cluster").isZero();
        assertThat(exits.snapshot().calls()).containsEntry("simple", 3L);
        endCall(exits, "cut-after-the-stop");
        assertThat(exits.unsent()).as("sent at once").isZero();
        await().until(() -> exits.snapshot().totalCalls() == 4);
    }
}
