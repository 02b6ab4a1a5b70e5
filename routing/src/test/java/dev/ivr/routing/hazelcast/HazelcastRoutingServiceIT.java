package dev.ivr.routing.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RelaxationStep;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.WaitingCall;
import dev.ivr.testsupport.MutableClock;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The routing service on one real Hazelcast member, with a clock that moves only when the test says so. */
@Tag("integration")
class HazelcastRoutingServiceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestCluster cluster;

    private MutableClock clock;
    private HazelcastRoutingService router;
    private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startMember() {
        cluster = TestCluster.start(1);
    }

    @AfterAll
    static void stopMember() {
        cluster.close();
    }

    @BeforeEach
    void startRouter() {
        clock = new MutableClock();
        HazelcastInstance member = cluster.member(0);
        List<QueueDefinition> queues = List.of(
                QueueDefinition.builder("sales").requireSkill("sales", 3).wrapUp(Duration.ofSeconds(30))
                        .maxWait(Duration.ofMinutes(5), "voicemail").serviceLevel(0.8, Duration.ofSeconds(20))
                        .build(),
                QueueDefinition.builder("support").requireSkill("support", 5)
                        .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("support", 3))
                        .relax(RelaxationStep.after(Duration.ofSeconds(60)).addQueue("billing"))
                        .build(),
                QueueDefinition.builder("billing").requireSkill("billing", 4).build(),
                QueueDefinition.builder("loyal").requireSkill("sales", 3)
                        .preferredAgentWait(Duration.ofSeconds(20)).build(),
                QueueDefinition.builder("any").build());
        router = HazelcastRoutingService.start(member, queues, RoutingOptions.defaults()
                .withName("test-" + UUID.randomUUID()).withClock(clock)
                .withMaintenanceInterval(Duration.ofMillis(50)).withReservationTtl(Duration.ofSeconds(60)),
                dev.ivr.routing.ClusterCalls.IN_PLACE);
        router.subscribe(events::add);
    }

    @AfterEach
    void stopRouter() {
        router.close();
    }

    private Agent readyAgent(String id, String... skills) {
        router.login(new AgentProfile(id, "Agent " + id, "PJSIP/" + id, Fixtures.skills(skills), Set.of("en")));
        return router.ready(id);
    }

    private Reservation offered(String callId) throws InterruptedException {
        WaitResult result = router.awaitAgent(callId, WAIT);
        assertThat(result).isInstanceOf(WaitResult.Offered.class);
        return ((WaitResult.Offered) result).reservation();
    }

    private AgentState state(String agentId) {
        return router.agent(agentId).orElseThrow().state();
    }

    private <E extends RoutingEvent> List<E> events(Class<E> type) {
        List<E> found = new ArrayList<>();
        for (RoutingEvent e : events) {
            if (type.isInstance(e)) {
                found.add(type.cast(e));
            }
        }
        return found;
    }

    @Test
    void aCallGoesToTheBestReadyAgentThenThroughWrapUpBackToReady() throws Exception {
        readyAgent("low", "sales:4");
        readyAgent("high", "sales:8");

        QueuePosition queued = router.enqueue(CallRequest.builder("c1", "sales").build());
        assertThat(queued.queueId()).isEqualTo("sales");
        Reservation r = offered("c1");
        assertThat(r.agentId()).isEqualTo("high");
        assertThat(r.endpoint()).isEqualTo("PJSIP/high");
        assertThat(r.offer()).isEqualTo(1);
        assertThat(state("high")).isEqualTo(AgentState.RESERVED);
        assertThat(state("low")).isEqualTo(AgentState.READY);

        assertThat(router.answered(r)).isTrue();
        assertThat(state("high")).isEqualTo(AgentState.ON_CALL);
        assertThat(router.waitingCalls("sales")).isEmpty();

        clock.advance(Duration.ofSeconds(100));
        assertThat(router.callEnded(r)).isTrue();
        Agent wrapping = router.agent("high").orElseThrow();
        assertThat(wrapping.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(wrapping.wrapUpUntil()).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        router.dispatchOwnedCalls();
        assertThat(state("high")).isEqualTo(AgentState.WRAP_UP);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> state("high") == AgentState.READY);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events(RoutingEvent.CallQueued.class)).extracting(RoutingEvent.CallQueued::callId).contains("c1");
            assertThat(events(RoutingEvent.CallOffered.class)).extracting(RoutingEvent.CallOffered::agentId)
                    .containsExactly("high");
            assertThat(events(RoutingEvent.CallAnswered.class)).hasSize(1);
            assertThat(events(RoutingEvent.AgentStateChanged.class))
                    .filteredOn(e -> e.agentId().equals("high"))
                    .extracting(RoutingEvent.AgentStateChanged::to)
                    .containsExactly(AgentState.NOT_READY, AgentState.READY, AgentState.RESERVED,
                            AgentState.ON_CALL, AgentState.WRAP_UP, AgentState.READY);
        });
    }

    @Test
    void aReadyAgentTakesTheHighestPriorityCallThenTheLongestWaiting() throws Exception {
        router.enqueue(CallRequest.builder("first", "sales").build());
        clock.advance(Duration.ofSeconds(1));
        router.enqueue(CallRequest.builder("second", "sales").build());
        clock.advance(Duration.ofSeconds(1));
        router.enqueue(CallRequest.builder("urgent", "sales").priority(5).build());
        assertThat(router.waitingCalls("sales")).extracting(WaitingCall::callId)
                .containsExactly("urgent", "first", "second");

        Agent a1 = readyAgent("a1", "sales:5");
        assertThat(a1.state()).isEqualTo(AgentState.RESERVED);
        assertThat(a1.callId()).isEqualTo("urgent");
        assertThat(offered("urgent").agentId()).isEqualTo("a1");
        assertThat(readyAgent("a2", "sales:5").callId()).isEqualTo("first");
        assertThat(router.position("second").orElseThrow().position()).isEqualTo(1);
    }

    @Test
    void anUnansweredOfferMakesTheAgentNotReadyAndTheCallGoesToTheNextAgent() throws Exception {
        readyAgent("a1", "sales:9");
        readyAgent("a2", "sales:4");
        router.enqueue(CallRequest.builder("c1", "sales").build());
        Reservation first = offered("c1");
        assertThat(first.agentId()).isEqualTo("a1");

        assertThat(router.offerFailed(first, "no-answer")).isTrue();
        Agent a1 = router.agent("a1").orElseThrow();
        assertThat(a1.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(a1.reasonCode()).isEqualTo("no-answer");
        Reservation second = offered("c1");
        assertThat(second.agentId()).isEqualTo("a2");
        assertThat(second.offer()).isEqualTo(2);
        assertThat(router.offerFailed(first, "no-answer")).as("an old reservation").isFalse();
        await().atMost(WAIT).until(() -> events(RoutingEvent.CallRequeued.class).stream()
                .anyMatch(e -> e.callId().equals("c1") && e.agentId().equals("a1") && e.reason().equals("no-answer")));
    }

    @Test
    void aRequeuedCallIsAtTheHeadOfItsQueue() throws Exception {
        router.enqueue(CallRequest.builder("older", "any").skill("y", 5).build());
        clock.advance(Duration.ofSeconds(5));
        readyAgent("a1", "x:5");
        router.enqueue(CallRequest.builder("newer", "any").skill("x", 5).build());
        Reservation r = offered("newer");

        router.offerFailed(r, "busy");
        assertThat(router.waitingCalls("any")).extracting(WaitingCall::callId).containsExactly("newer", "older");
        assertThat(router.waitingCalls("any").getFirst().headOfQueue()).isTrue();
        assertThat(router.position("newer").orElseThrow().position()).isEqualTo(1);
        assertThat(router.position("older").orElseThrow().position()).isEqualTo(2);
    }

    @Test
    void aCallerHangingUpRemovesTheCallAndFreesTheOfferedAgent() throws Exception {
        Instant readySince = clock.instant();
        readyAgent("a1", "sales:5");
        clock.advance(Duration.ofSeconds(25));
        router.enqueue(CallRequest.builder("c1", "sales").build());
        offered("c1");
        clock.advance(Duration.ofSeconds(3));

        assertThat(router.cancel("c1")).isTrue();
        Agent a1 = router.agent("a1").orElseThrow();
        assertThat(a1.state()).isEqualTo(AgentState.READY);
        assertThat(a1.idleSince()).as("the agent keeps its place").isEqualTo(readySince);
        assertThat(router.waitingCalls("sales")).isEmpty();
        assertThat(router.cancel("c1")).isFalse();
        assertThat(router.awaitAgent("c1", Duration.ofMillis(10))).isInstanceOf(WaitResult.Removed.class);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events(RoutingEvent.CallAbandoned.class)).singleElement()
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(RoutingEvent.CALLER_HANGUP);
                        assertThat(e.waited()).isEqualTo(Duration.ofSeconds(3));
                    });
            assertThat(status("sales").abandoned()).isEqualTo(1);
        });
    }

    @Test
    void aReservationPastItsTimeToLiveIsReleased() throws Exception {
        readyAgent("a1", "sales:5");
        router.enqueue(CallRequest.builder("c1", "sales").build());
        Reservation first = offered("c1");
        clock.advance(Duration.ofSeconds(59));
        router.dispatchOwnedCalls();
        assertThat(state("a1")).isEqualTo(AgentState.RESERVED);

        clock.advance(Duration.ofSeconds(2));
        await().atMost(WAIT).until(() -> events(RoutingEvent.CallRequeued.class).stream()
                .anyMatch(e -> e.reason().equals(HazelcastRoutingService.RESERVATION_EXPIRED)));
        // released, back at the head of the queue, and offered again to the agent now ready
        Reservation second = offered("c1");
        assertThat(second.offer()).isEqualTo(2);
        assertThat(second.offeredAt()).isAfter(first.offeredAt());
        await().atMost(WAIT).until(() -> events(RoutingEvent.AgentStateChanged.class).stream()
                .anyMatch(e -> e.agentId().equals("a1") && e.from() == AgentState.RESERVED && e.to() == AgentState.READY));
    }

    @Test
    void afterTheMaximumWaitTheCallLeavesForItsTarget() throws Exception {
        router.enqueue(CallRequest.builder("c1", "sales").build());
        WaitResult waiting = router.awaitAgent("c1", Duration.ofMillis(20));
        assertThat(waiting).isInstanceOfSatisfying(WaitResult.Waiting.class,
                w -> assertThat(w.position().position()).isEqualTo(1));

        clock.advance(Duration.ofMinutes(5));
        WaitResult result = router.awaitAgent("c1", WAIT);
        assertThat(result).isEqualTo(new WaitResult.MaxWaitReached("voicemail", Duration.ofMinutes(5)));
        assertThat(router.waitingCalls("sales")).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events(RoutingEvent.MaxWaitReached.class)).hasSize(1);
            assertThat(status("sales").maxWaitReached()).isEqualTo(1);
        });
    }

    @Test
    void relaxationStepsWidenThePoolOfAgentsOverTime() throws Exception {
        readyAgent("level3", "support:3");
        readyAgent("biller", "billing:6");
        router.enqueue(CallRequest.builder("c1", "support").build());
        router.dispatchOwnedCalls();
        assertThat(router.awaitAgent("c1", Duration.ofMillis(20))).isInstanceOf(WaitResult.Waiting.class);

        clock.advance(Duration.ofSeconds(30));
        assertThat(offered("c1").agentId()).isEqualTo("level3");

        router.enqueue(CallRequest.builder("c2", "support").build());
        clock.advance(Duration.ofSeconds(59));
        router.dispatchOwnedCalls();
        assertThat(router.awaitAgent("c2", Duration.ofMillis(20))).isInstanceOf(WaitResult.Waiting.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(offered("c2").agentId()).isEqualTo("biller");
    }

    @Test
    void aReturningCustomerWaitsForTheirAgentForTheConfiguredTime() throws Exception {
        router.login(new AgentProfile("usual", null, "PJSIP/usual", Map.of("sales", 5), Set.of()));
        readyAgent("other", "sales:9");
        router.enqueue(CallRequest.builder("c1", "loyal").preferredAgent("usual").build());
        router.dispatchOwnedCalls();
        assertThat(router.awaitAgent("c1", Duration.ofMillis(20))).isInstanceOf(WaitResult.Waiting.class);
        clock.advance(Duration.ofSeconds(10));
        assertThat(router.ready("usual").callId()).isEqualTo("c1");

        router.enqueue(CallRequest.builder("c2", "loyal").preferredAgent("usual").build());
        router.dispatchOwnedCalls();
        assertThat(router.awaitAgent("c2", Duration.ofMillis(20))).isInstanceOf(WaitResult.Waiting.class);
        clock.advance(Duration.ofSeconds(20));
        assertThat(offered("c2").agentId()).isEqualTo("other");
    }

    @Test
    void positionAndEstimatedWaitFollowTheQueue() throws Exception {
        readyAgent("a1", "sales:5");
        router.enqueue(CallRequest.builder("c0", "sales").build());
        router.answered(offered("c0"));
        router.enqueue(CallRequest.builder("c1", "sales").build());
        clock.advance(Duration.ofSeconds(10));
        router.enqueue(CallRequest.builder("c2", "sales").build());
        router.enqueue(CallRequest.builder("c3", "sales").build());

        QueuePosition p = router.position("c2").orElseThrow();
        assertThat(p.position()).isEqualTo(2);
        assertThat(p.waiting()).isEqualTo(3);
        // one agent staffed (on a call), default handle time 3 minutes: 2 x 180 s
        assertThat(p.estimatedWait()).isEqualTo(Duration.ofSeconds(360));
        assertThat(router.position("c1").orElseThrow().waited()).isEqualTo(Duration.ofSeconds(10));
        assertThat(router.position("nope")).isEmpty();
    }

    @Test
    void positionsFollowEveryChangeOfTheQueueWhileTheyAreAskedOver() throws Exception {
        for (String c : List.of("c1", "c2", "c3", "c4")) {
            router.enqueue(CallRequest.builder(c, "sales").build());
        }
        assertThat(positions("c1", "c2", "c3", "c4")).containsExactly(1, 2, 3, 4);
        assertThat(positions("c1", "c2", "c3", "c4")).containsExactly(1, 2, 3, 4); // asked again: same answers

        readyAgent("a1", "sales:5"); // c1 is offered: it no longer counts as waiting ahead
        assertThat(offered("c1").agentId()).isEqualTo("a1");
        assertThat(positions("c2", "c3", "c4")).containsExactly(1, 2, 3);
        router.cancel("c3");
        assertThat(positions("c2", "c4")).containsExactly(1, 2);
        router.enqueue(CallRequest.builder("urgent", "sales").priority(9).build());
        assertThat(positions("urgent", "c2", "c4")).containsExactly(1, 2, 3);
    }

    private List<Integer> positions(String... callIds) {
        return java.util.Arrays.stream(callIds).map(id -> router.position(id).orElseThrow().position()).toList();
    }

    @Test
    void requestsTheStateMachineRefusesAreRejected() throws Exception {
        assertThatThrownBy(() -> router.ready("nobody")).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNKNOWN_AGENT));
        router.login(new AgentProfile("a1", null, "PJSIP/a1", Map.of("sales", 5), Set.of()));
        assertThatThrownBy(() -> router.wrapUpDone("a1")).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.ILLEGAL_STATE));
        router.ready("a1");
        router.enqueue(CallRequest.builder("c1", "sales").build());
        router.answered(offered("c1"));
        assertThatThrownBy(() -> router.logout("a1")).isInstanceOf(RoutingException.class);
        assertThatThrownBy(() -> router.login(new AgentProfile("a1", null, "PJSIP/9", Map.of(), Set.of())))
                .isInstanceOf(RoutingException.class);
        assertThat(state("a1")).isEqualTo(AgentState.ON_CALL);

        assertThatThrownBy(() -> router.enqueue(CallRequest.builder("c9", "nope").build()))
                .isInstanceOfSatisfying(RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNKNOWN_QUEUE));
        router.enqueue(CallRequest.builder("c2", "sales").build());
        assertThatThrownBy(() -> router.enqueue(CallRequest.builder("c2", "sales").build()))
                .isInstanceOfSatisfying(RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.DUPLICATE_CALL));
    }

    @Test
    void notReadyAskedDuringACallIsAppliedAfterWrapUp() throws Exception {
        readyAgent("a1", "sales:5");
        router.enqueue(CallRequest.builder("c1", "sales").build());
        Reservation r = offered("c1");
        router.answered(r);
        Agent during = router.notReady("a1", "lunch");
        assertThat(during.state()).isEqualTo(AgentState.ON_CALL);
        assertThat(during.pendingReasonCode()).isEqualTo("lunch");
        router.enqueue(CallRequest.builder("c2", "sales").build());

        router.callEnded(r);
        assertThat(state("a1")).isEqualTo(AgentState.WRAP_UP);
        Agent after = router.wrapUpDone("a1");
        assertThat(after.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(after.reasonCode()).isEqualTo("lunch");
        router.dispatchOwnedCalls();
        assertThat(router.awaitAgent("c2", Duration.ofMillis(20))).isInstanceOf(WaitResult.Waiting.class);
        assertThat(router.ready("a1").callId()).isEqualTo("c2");
    }

    @Test
    void queueStatusShowsWaitingCallsServiceLevelAndAbandons() throws Exception {
        readyAgent("a1", "sales:5");
        router.enqueue(CallRequest.builder("fast", "sales").build());
        Reservation fast = offered("fast");
        router.answered(fast);
        router.enqueue(CallRequest.builder("slow", "sales").build());
        clock.advance(Duration.ofSeconds(25));
        router.callEnded(fast);
        router.wrapUpDone("a1");
        router.answered(offered("slow"));
        router.enqueue(CallRequest.builder("gone", "sales").build());
        clock.advance(Duration.ofSeconds(40));
        router.cancel("gone");
        router.enqueue(CallRequest.builder("waiting", "sales").build());
        clock.advance(Duration.ofSeconds(7));

        await().atMost(WAIT).untilAsserted(() -> {
            QueueStatus s = status("sales");
            assertThat(s.waiting()).isEqualTo(1);
            assertThat(s.longestWait()).isEqualTo(Duration.ofSeconds(7));
            assertThat(s.answered()).isEqualTo(2);
            assertThat(s.answeredInTarget()).isEqualTo(1);
            assertThat(s.abandoned()).isEqualTo(1);
            // 1 in target / (2 answered + 1 abandoned after the 20 s threshold)
            assertThat(s.serviceLevel()).hasValueCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.averageHandleTime()).isEqualTo(Duration.ofSeconds(25));
            assertThat(s.agents()).containsEntry(AgentState.ON_CALL, 1).containsEntry(AgentState.READY, 0);
        });
        assertThat(router.queues()).extracting(QueueStatus::queueId)
                .containsExactly("any", "billing", "loyal", "sales", "support");
        assertThat(status("billing").serviceLevel()).isEmpty();
        assertThat(router.agents()).extracting(Agent::id).containsExactly("a1");
    }

    private QueueStatus status(String queueId) {
        return router.queues().stream().filter(q -> q.queueId().equals(queueId)).findFirst().orElseThrow();
    }
}
