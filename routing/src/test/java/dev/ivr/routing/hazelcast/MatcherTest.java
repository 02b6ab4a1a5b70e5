package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.QueueDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static dev.ivr.routing.hazelcast.Fixtures.call;
import static dev.ivr.routing.hazelcast.Fixtures.ready;
import static dev.ivr.routing.hazelcast.Fixtures.skills;
import static org.assertj.core.api.Assertions.assertThat;

class MatcherTest {
    private LocalView view;
    private Matcher matcher;

    @BeforeEach
    void setUp() {
        view = new LocalView();
        matcher = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle());
        view.applyQueue(QueueDefinition.builder("sales").requireSkill("sales", 3).build());
        view.applyQueue(QueueDefinition.builder("vip").requireSkill("sales", 3).priority(10).build());
        view.applyQueue(QueueDefinition.builder("loyal").requireSkill("sales", 3)
                .preferredAgentWait(Duration.ofSeconds(20)).build());
    }

    private String agentFor(CallRecord call, long now) {
        view.applyCall(call);
        AgentEntry chosen = matcher.chooseAgent(view.call(call.callId()), now, Set.of());
        return chosen == null ? null : chosen.id();
    }

    private String callFor(String agentId, long now) {
        CallEntry chosen = matcher.chooseCall(view.agent(agentId), now, Set.of());
        return chosen == null ? null : chosen.id();
    }

    @Test
    void bestSkillMatchWinsThenLongestIdle() {
        view.applyAgent(ready("low", T0, "sales:4"));
        view.applyAgent(ready("high-recent", T0 + 500, "sales:9"));
        view.applyAgent(ready("high-idle", T0 + 100, "sales:9"));

        assertThat(agentFor(call("c1", "sales", T0 + 1000, 0), T0 + 1000)).isEqualTo("high-idle");
    }

    @Test
    void scoreCountsEveryRequiredSkill() {
        view.applyAgent(ready("a", T0, "sales:9", "french:3"));
        view.applyAgent(ready("b", T0 + 10, "sales:6", "french:8"));

        assertThat(agentFor(call("c1", "sales", T0 + 100, 0, "french:3"), T0 + 100)).isEqualTo("b");
    }

    @Test
    void agentsBelowTheMinimumLevelOrNotReadyOrLackingTheLanguageAreNotChosen() {
        view.applyAgent(ready("too-low", T0, "sales:2"));
        view.applyAgent(Fixtures.withState(ready("not-ready", T0, "sales:9"), AgentState.NOT_READY));
        view.applyAgent(ready("english", T0, "sales:9"));
        CallRecord french = call(CallRequest.builder("c1", "sales").language("fr").build(), T0);

        assertThat(agentFor(french, T0)).isNull();
        assertThat(agentFor(call("c2", "sales", T0, 0), T0)).isEqualTo("english");
    }

    @Test
    void excludedAgentsAreSkipped() {
        view.applyAgent(ready("a", T0, "sales:9"));
        view.applyAgent(ready("b", T0, "sales:5"));
        CallEntry c = view.applyCall(call("c1", "sales", T0, 0));

        assertThat(matcher.chooseAgent(c, T0, Set.of("a")).id()).isEqualTo("b");
        assertThat(matcher.chooseAgent(c, T0, Set.of("a", "b"))).isNull();
    }

    @Test
    void anAgentThatBecomesReadyTakesTheHighestPriorityCallThenTheLongestWaiting() {
        view.applyCall(call("old-low", "sales", T0, 0));
        view.applyCall(call("new-high", "sales", T0 + 5000, 3));
        view.applyCall(call("older-high", "sales", T0 + 1000, 3));
        view.applyCall(call("needs-french", "sales", T0 - 1000, 9, "french:5"));
        view.applyAgent(ready("a", T0 + 6000, "sales:5"));

        assertThat(callFor("a", T0 + 6000)).isEqualTo("older-high");
    }

    @Test
    void queuePriorityRaisesACall() {
        view.applyCall(call("sales-old", "sales", T0, 2));
        view.applyCall(call("vip-new", "vip", T0 + 9000, 0));
        view.applyAgent(ready("a", T0 + 10_000, "sales:5"));
        assertThat(callFor("a", T0 + 10_000)).isEqualTo("vip-new");
    }

    @Test
    void agingRaisesLongWaitingCalls() {
        view.applyQueue(QueueDefinition.builder("aging").requireSkill("sales", 3)
                .priorityAging(Duration.ofSeconds(10)).build());
        view.applyCall(call("sales-prio1", "sales", T0 + 30_000, 1));
        view.applyCall(call("aging-long", "aging", T0, 0));
        view.applyAgent(ready("a", T0 + 31_000, "sales:5"));
        // aging: 31 s of waiting at one step per 10 s gives priority 3 > 1
        assertThat(callFor("a", T0 + 31_000)).isEqualTo("aging-long");
        // before any step has passed, the priority-1 call wins
        assertThat(callFor("a", T0 + 9_000)).isEqualTo("sales-prio1");
    }

    @Test
    void aRequeuedCallIsServedBeforeTheRestOfItsQueue() {
        view.applyCall(call("first", "sales", T0, 5));
        CallRecord requeued = call("later", "sales", T0 + 1000, 0)
                .offer("x", "x", "PJSIP/x", T0 + 1100).requeue("x");
        view.applyCall(requeued);
        view.applyAgent(ready("a", T0 + 2000, "sales:5"));

        assertThat(callFor("a", T0 + 2000)).isEqualTo("later");
    }

    @Test
    void offeredCallsAreNotOfferedAgain() {
        view.applyCall(call("c1", "sales", T0, 0).offer("x", "x", "PJSIP/x", T0));
        view.applyAgent(ready("a", T0, "sales:5"));
        assertThat(callFor("a", T0)).isNull();
        assertThat(agentFor(call("c1", "sales", T0, 0).offer("x", "x", "PJSIP/x", T0), T0)).isNull();
    }

    @Test
    void preferredAgentIsWaitedForWithinTheConfiguredTime() {
        AgentRecord usual = ready("usual", T0, "sales:5").notReady("break", T0);
        view.applyAgent(usual);
        view.applyAgent(ready("other", T0, "sales:9"));
        CallRecord returning = call(CallRequest.builder("c1", "loyal").preferredAgent("usual").build(), T0);

        assertThat(agentFor(returning, T0 + 1000)).as("kept for the usual agent").isNull();
        assertThat(callFor("other", T0 + 1000)).isNull();

        view.applyAgent(usual.ready(T0 + 2000));
        assertThat(agentFor(returning, T0 + 2000)).isEqualTo("usual");
        assertThat(agentFor(returning, T0 + 20_000)).as("after the preferred wait, best agent").isEqualTo("other");
    }

    @Test
    void aPreferredAgentWhoIsLoggedOutIsNotWaitedFor() {
        view.applyAgent(ready("usual", T0, "sales:5").logout(T0));
        view.applyAgent(ready("other", T0, "sales:9"));
        CallRecord returning = call(CallRequest.builder("c1", "loyal").preferredAgent("usual").build(), T0);

        assertThat(agentFor(returning, T0 + 1000)).isEqualTo("other");
    }

    @Test
    void strategiesArePluggableAndOnlySeeEligibleAgents() {
        List<String> seen = new ArrayList<>();
        matcher = new Matcher(view, (call, eligible) -> {
            Agent pick = null;
            for (Agent a : eligible) {
                seen.add(a.id());
                if (pick == null || a.id().compareTo(pick.id()) > 0) {
                    pick = a;
                }
            }
            return pick;
        });
        view.applyAgent(ready("a", T0, "sales:9"));
        view.applyAgent(ready("z", T0, "sales:3"));
        view.applyAgent(ready("unskilled", T0, "billing:9"));
        view.applyAgent(Fixtures.withState(ready("busy", T0, "sales:9"), AgentState.ON_CALL));

        assertThat(agentFor(call("c1", "sales", T0, 0), T0)).isEqualTo("z");
        assertThat(seen).containsExactlyInAnyOrder("a", "z");
    }

    @Test
    void longestIdleStrategyIgnoresLevels() {
        matcher = new Matcher(view, MatchingStrategy.longestIdle());
        view.applyAgent(ready("expert", T0 + 100, "sales:10"));
        view.applyAgent(ready("idle", T0, "sales:3"));
        assertThat(agentFor(call("c1", "sales", T0 + 200, 0), T0 + 200)).isEqualTo("idle");
    }

    @Test
    void theReadyIndexFollowsStateChanges() {
        AgentRecord a = ready("a", T0, "sales:5");
        view.applyAgent(a);
        assertThat(view.readyWith(view.skillIds.id("sales")).countAtLeast(1)).isEqualTo(1);
        AgentRecord reserved = a.reserve(42, "c", "sales", "n", T0 + 1, T0);
        view.applyAgent(reserved);
        assertThat(view.readyCount()).isZero();
        assertThat(view.readyWith(view.skillIds.id("sales")).countAtLeast(1)).isZero();
        view.applyAgent(a);
        assertThat(view.readyCount()).as("an older version is ignored").isZero();
        view.applyAgent(reserved.release("c", T0 + 2));
        assertThat(view.readyCount()).isEqualTo(1);
        assertThat(view.agent("a").agent.skills()).isEqualTo(skills("sales:5"));
    }

    @Test
    void removedCallsAreNotResurrectedByLateUpdates() {
        CallRecord c = call("c1", "sales", T0, 0);
        CallRecord offered = c.offer("x", "x", "PJSIP/x", T0);
        view.applyCall(offered);
        view.removeCall(offered);
        assertThat(view.applyCall(c)).isNull();
        assertThat(view.call("c1")).isNull();
        // the same call id queued again (a new incarnation) is accepted
        CallRecord again = CallRecord.waiting(CallRequest.builder("c1", "sales").build(), "node-1", 99, T0 + 5);
        assertThat(view.applyCall(again)).isNotNull();
        assertThat(view.call("c1").record.incarnation()).isEqualTo(99);
    }
}
