package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RoutingService#whenNotWaiting}: a waiting call's future completes when an agent is reserved for it, when it
 * leaves the queue, or at its queue's maximum wait, with no thread waiting meanwhile; a cancelled one is forgotten.
 */
class WhenNotWaitingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;
    private HazelcastRoutingService router;
    private final String name = "test-" + UUID.randomUUID();

    @BeforeEach
    void start() {
        cluster = TestCluster.start(1);
        router = HazelcastRoutingService.start(cluster.member(0),
                List.of(QueueDefinition.builder("sales").requireSkill("sales", 1).build(),
                        QueueDefinition.builder("short").requireSkill("sales", 1)
                                .maxWait(Duration.ofMillis(300), "voicemail").build(),
                        QueueDefinition.builder("long").requireSkill("sales", 1)
                                .maxWait(Duration.ofMinutes(30), "voicemail").build()),
                RoutingOptions.defaults().withName(name).withMaintenanceInterval(Duration.ofMillis(50)),
                dev.ivr.routing.ClusterCalls.IN_PLACE);
    }

    @AfterEach
    void stop() {
        router.close();
        cluster.close();
    }

    @Test
    void completesWhenAnAgentIsReservedForTheCall() throws Exception {
        router.login(new AgentProfile("alice", "alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        router.enqueue(CallRequest.builder("c1", "sales").build());
        CompletableFuture<Void> f = router.whenNotWaiting("c1");
        assertThat(f).as("nobody ready: the call waits").isNotDone();
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Waiting.class);

        router.ready("alice");

        await().atMost(WAIT).until(f::isDone);
        assertThat(f).isCompleted();
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Offered.class);
        assertThat(router.whenNotWaiting("c1")).as("offered: complete at once").isCompleted();
    }

    @Test
    void completesWhenTheCallLeavesTheQueue() throws Exception {
        router.enqueue(CallRequest.builder("c1", "sales").build());
        CompletableFuture<Void> f = router.whenNotWaiting("c1");
        assertThat(f).isNotDone();

        router.cancel("c1");

        assertThat(f).as("completed by the removal, on this thread").isCompleted();
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Removed.class);
    }

    @Test
    void completesAtTheQueuesMaximumWait() throws Exception {
        router.enqueue(CallRequest.builder("c1", "short").build());
        CompletableFuture<Void> f = router.whenNotWaiting("c1");

        await().atMost(WAIT).until(f::isDone);
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.MaxWaitReached.class);
    }

    @Test
    void aCancelledFutureLeavesNoTimerBehind() throws Exception {
        router.enqueue(CallRequest.builder("c1", "long").build());
        var timers = ((java.util.concurrent.ScheduledThreadPoolExecutor) router.ctx.scheduler).getQueue();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<Void> f = router.whenNotWaiting("c1"); // each with a timer at the queue's maximum wait
            assertThat(f).isNotDone();
            f.cancel(false);
        }
        assertThat(timers.size()).as("the cancelled timers are gone from the routing thread's queue").isLessThan(10);
        CompletableFuture<Void> f = router.whenNotWaiting("c1");
        router.cancel("c1");
        assertThat(f).isCompleted();
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Removed.class);
    }

    @Test
    void aWatchRunsItsActionOnceWhenAnAgentIsReserved() throws Exception {
        router.login(new AgentProfile("alice", "alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        router.enqueue(CallRequest.builder("c1", "long").build());
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        RoutingService.Watch watch = router.watchWaiting("c1", runs::incrementAndGet);
        assertThat(watch.fired()).isFalse();

        router.ready("alice");

        await().atMost(WAIT).until(watch::fired);
        watch.close(); // after it fired: nothing more
        assertThat(runs).hasValue(1);
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Offered.class);
    }

    @Test
    void aClosedWatchRunsNothingAndLeavesNoListenerOrTimer() throws Exception {
        router.enqueue(CallRequest.builder("c1", "long").build());
        Waiter waiter = router.ctx.waiters.get("c1");
        var timers = ((java.util.concurrent.ScheduledThreadPoolExecutor) router.ctx.scheduler).getQueue();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 100; i++) {
            RoutingService.Watch watch = router.watchWaiting("c1", runs::incrementAndGet);
            assertThat(waiter.listenerCount()).isEqualTo(1);
            watch.close();
        }
        assertThat(waiter.listenerCount()).isZero();
        assertThat(timers.size()).isLessThan(10);

        router.cancel("c1");

        assertThat(runs).as("closed before the call left").hasValue(0);
        assertThat(router.watchWaiting("c1", runs::incrementAndGet).fired()).as("not waited for: at once").isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aWatchFiresAtTheQueuesMaximumWait() throws Exception {
        router.enqueue(CallRequest.builder("c1", "short").build());
        RoutingService.Watch watch = router.watchWaiting("c1", () -> { });

        await().atMost(WAIT).until(watch::fired);
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.MaxWaitReached.class);
    }

    @Test
    void aCallNotWaitedForHereIsCompleteAtOnce() {
        assertThat(router.whenNotWaiting("unknown")).isCompleted();
    }

    @Test
    void aCancelledFutureIsForgottenAndOthersStillComplete() throws Exception {
        router.login(new AgentProfile("alice", "alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        router.enqueue(CallRequest.builder("c1", "sales").build());
        Waiter waiter = router.ctx.waiters.get("c1");
        for (int i = 0; i < 100; i++) {
            router.whenNotWaiting("c1").cancel(false); // an announcement that ended without an offer, 100 times
        }
        assertThat(waiter.listenerCount()).as("no listener left behind by the cancelled ones").isZero();
        CompletableFuture<Void> f = router.whenNotWaiting("c1");
        assertThat(waiter.listenerCount()).isEqualTo(1);

        router.ready("alice");

        await().atMost(WAIT).until(f::isDone);
        assertThat(waiter.listenerCount()).isZero();
        assertThat(router.awaitAgent("c1", Duration.ZERO)).isInstanceOf(WaitResult.Offered.class);
    }
}
