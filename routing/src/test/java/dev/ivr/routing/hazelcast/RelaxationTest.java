package dev.ivr.routing.hazelcast;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static dev.ivr.routing.hazelcast.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

/** Skill relaxation over waiting time: "after 30 s accept level >= 3 instead of >= 5, after 60 s add billing's agents". */
class RelaxationTest {
    private LocalView view;
    private Matcher matcher;
    private CallEntry call;

    @BeforeEach
    void setUp() {
        view = new LocalView();
        matcher = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle());
        view.applyQueue(QueueDefinition.builder("support")
                .requireSkill("support", 5)
                .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("support", 3))
                .relax(RelaxationStep.after(Duration.ofSeconds(60)).addQueue("billing"))
                .relax(RelaxationStep.after(Duration.ofSeconds(90)).skillLevel("linux", 0))
                .build());
        view.applyQueue(QueueDefinition.builder("billing").requireSkill("billing", 4).build());
        call = view.applyCall(Fixtures.call(CallRequest.builder("c1", "support").skill("linux", 2).build(), T0));
    }

    private boolean canServe(AgentRecord agent, long waitedMillis) {
        view.applyAgent(agent);
        return matcher.canServe(view.agent(agent.id()), call, T0 + waitedMillis);
    }

    @Test
    void levelThreeIsAcceptedFromThirtySeconds() {
        AgentRecord level3 = ready("l3", T0, "support:3", "linux:2");
        assertThat(canServe(level3, 0)).isFalse();
        assertThat(canServe(level3, 29_999)).isFalse();
        assertThat(canServe(level3, 30_000)).isTrue();
        assertThat(canServe(ready("l2", T0, "support:2", "linux:2"), 45_000)).isFalse();
    }

    @Test
    void theCallsOwnRequirementsStillApplyAfterRelaxation() {
        assertThat(canServe(ready("no-linux", T0, "support:9"), 45_000)).isFalse();
        assertThat(canServe(ready("linux", T0, "support:9", "linux:2"), 0)).isTrue();
    }

    @Test
    void anotherQueuesAgentsAreAddedFromSixtySeconds() {
        AgentRecord billing = ready("b", T0, "billing:4");
        assertThat(canServe(billing, 59_999)).isFalse();
        assertThat(canServe(billing, 60_000)).isTrue();
        assertThat(canServe(ready("weak-billing", T0, "billing:3"), 60_000)).isFalse();
    }

    @Test
    void levelZeroDropsARequirement() {
        AgentRecord noLinux = ready("n", T0, "support:3");
        assertThat(canServe(noLinux, 89_999)).isFalse();
        assertThat(canServe(noLinux, 90_000)).isTrue();
    }

    @Test
    void stepsAreCumulativeAndTheMatcherUsesThem() {
        view.applyAgent(ready("l3", T0, "support:3", "linux:5"));
        view.applyAgent(ready("b", T0, "billing:9"));
        assertThat(matcher.chooseAgent(call, T0 + 10_000, Set.of())).isNull();
        assertThat(matcher.chooseAgent(call, T0 + 31_000, Set.of()).id()).isEqualTo("l3");
        assertThat(matcher.chooseAgent(call, T0 + 61_000, Set.of("l3")).id()).isEqualTo("b");
        assertThat(view.alternatives(call, T0 + 61_000)).hasSize(2);
        assertThat(view.alternatives(call, T0)).hasSize(1);
    }

    @Test
    void stageCountsTheStepsReached() {
        QueueRules rules = view.queue("support");
        assertThat(rules.stage(0)).isZero();
        assertThat(rules.stage(30_000)).isEqualTo(1);
        assertThat(rules.stage(120_000)).isEqualTo(3);
    }
}
