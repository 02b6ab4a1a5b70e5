package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.PbxAffinity;
import dev.ivr.routing.QueueDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static dev.ivr.routing.hazelcast.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PBX affinity of the matcher: agents are on PBX "a" or "b" by the first letter of their id (their endpoint is
 * {@code PJSIP/<id>}); agents whose id starts with "x" are on no known PBX.
 */
class PbxAffinityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private LocalView view;

    @BeforeEach
    void setUp() {
        view = new LocalView();
        view.applyQueue(QueueDefinition.builder("sales").requireSkill("sales", 3).build());
        view.applyQueue(QueueDefinition.builder("loyal").requireSkill("sales", 3)
                .preferredAgentWait(Duration.ofSeconds(20)).build());
        view.applyAgent(ready("a-expert", T0, "sales:9"));
        view.applyAgent(ready("b-junior", T0 + 100, "sales:4"));
        view.applyAgent(ready("b-senior", T0 + 200, "sales:6"));
    }

    private static PbxAffinity affinity(PbxAffinity.Mode mode, Duration wait) {
        return new PbxAffinity(mode, wait, endpoint -> switch (endpoint.charAt("PJSIP/".length())) {
            case 'a' -> "a";
            case 'b' -> "b";
            default -> null;
        });
    }

    private static CallRecord callOn(String pbx, String id, String queue, long enqueuedAt) {
        return Fixtures.call(CallRequest.builder(id, queue).pbx(pbx).build(), enqueuedAt);
    }

    private String agentFor(Matcher matcher, CallRecord call, long now) {
        view.applyCall(call);
        AgentEntry chosen = matcher.chooseAgent(view.call(call.callId()), now, Set.of());
        return chosen == null ? null : chosen.id();
    }

    private void busy(String agentId) {
        view.applyAgent(Fixtures.withState(view.agent(agentId).record, AgentState.NOT_READY));
    }

    @Test
    void ignoreTakesTheBestSkilledAgentWhereverItsPhoneIs() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.IGNORE, WAIT));
        assertThat(agentFor(m, callOn("b", "c1", "sales", T0 + 1000), T0 + 1000)).isEqualTo("a-expert");
    }

    @Test
    void preferTakesTheBestAgentOnTheCallsPbxOverABetterOneElsewhere() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.PREFER,
                Duration.ZERO));
        assertThat(agentFor(m, callOn("b", "c1", "sales", T0 + 1000), T0 + 1000)).isEqualTo("b-senior");
        assertThat(agentFor(m, callOn("a", "c2", "sales", T0 + 1000), T0 + 1000)).isEqualTo("a-expert");
        // a call on no known PBX has no affinity
        assertThat(agentFor(m, callOn(null, "c3", "sales", T0 + 1000), T0 + 1000)).isEqualTo("a-expert");
    }

    @Test
    void preferWithoutWaitFallsBackToOtherPbxsWhenNoneOnTheCallsPbxIsFree() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.PREFER,
                Duration.ZERO));
        busy("b-junior");
        busy("b-senior");
        CallRecord call = callOn("b", "c1", "sales", T0 + 1000);
        assertThat(agentFor(m, call, T0 + 1000)).isEqualTo("a-expert");
        assertThat(m.canServe(view.agent("a-expert"), view.call("c1"), T0 + 1000)).isTrue();
    }

    @Test
    void preferWithAWaitKeepsTheCallForItsPbxThatLongThenFallsBack() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.PREFER, WAIT));
        busy("b-junior");
        busy("b-senior");
        CallRecord call = callOn("b", "c1", "sales", T0 + 1000);
        assertThat(agentFor(m, call, T0 + 1000)).isNull();
        CallEntry entry = view.call("c1");
        assertThat(m.canServe(view.agent("a-expert"), entry, T0 + 1000 + WAIT.toMillis() - 1))
                .as("an agent of a ready on another PBX does not take it within the wait").isFalse();
        int kept = m.eligibilityKey(entry, T0 + 1000);
        assertThat(m.eligibilityKey(entry, T0 + 1000 + WAIT.toMillis())).as("the end of the wait: tried again")
                .isNotEqualTo(kept);
        assertThat(agentFor(m, call, T0 + 1000 + WAIT.toMillis())).isEqualTo("a-expert");
        assertThat(m.canServe(view.agent("a-expert"), entry, T0 + 1000 + WAIT.toMillis())).isTrue();
    }

    @Test
    void requireTakesOnlyAgentsOnTheCallsPbx() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.REQUIRE, WAIT));
        view.applyAgent(ready("x-unknown", T0, "sales:10"));
        assertThat(agentFor(m, callOn("b", "c1", "sales", T0 + 1000), T0 + 1000)).isEqualTo("b-senior");
        busy("b-junior");
        busy("b-senior");
        long later = T0 + 1000 + Duration.ofHours(1).toMillis();
        assertThat(agentFor(m, callOn("b", "c2", "sales", T0 + 1000), later)).isNull();
        assertThat(m.canServe(view.agent("a-expert"), view.call("c2"), later)).isFalse();
        assertThat(m.canServe(view.agent("x-unknown"), view.call("c2"), later)).as("a phone on no known PBX").isFalse();
        // an agent of b becomes ready: it takes the call
        view.applyAgent(Fixtures.withState(view.agent("b-junior").record, AgentState.READY));
        CallEntry next = m.chooseCall(view.agent("b-junior"), later, Set.of());
        assertThat(next).isNotNull();
        assertThat(next.id()).isIn("c1", "c2");
        assertThat(m.chooseCall(view.agent("a-expert"), later, Set.of())).isNull();
    }

    @Test
    void aPreferredAgentOnAnotherPbxIsNotWaitedForWhileTheCallIsKeptForItsPbx() {
        Matcher m = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle(), affinity(PbxAffinity.Mode.REQUIRE, WAIT));
        busy("a-expert");
        CallRecord call = Fixtures.call(CallRequest.builder("c1", "loyal").pbx("b").preferredAgent("a-expert").build(),
                T0 + 1000);
        assertThat(agentFor(m, call, T0 + 1000)).isEqualTo("b-senior");
    }

    @Test
    void aCustomStrategySeesOnlyTheAgentsOnTheCallsPbxFirst() {
        MatchingStrategy lastById = (call, eligible) -> {
            Agent last = null;
            for (Agent a : eligible) {
                if (last == null || a.id().compareTo(last.id()) > 0) {
                    last = a;
                }
            }
            return last;
        };
        view.applyAgent(ready("x-zed", T0, "sales:5"));
        Matcher m = new Matcher(view, lastById, affinity(PbxAffinity.Mode.PREFER, Duration.ZERO));
        assertThat(agentFor(m, callOn("a", "c1", "sales", T0 + 1000), T0 + 1000)).isEqualTo("a-expert");
        busy("a-expert");
        assertThat(agentFor(m, callOn("a", "c2", "sales", T0 + 1000), T0 + 1000)).isEqualTo("x-zed");
    }
}
