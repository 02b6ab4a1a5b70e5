package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher's fast paths (built-in strategies on the skill index, calls kept in queue order) choose exactly
 * what the plain definitions choose, on random agents and calls.
 */
class MatcherEquivalenceTest {
    private static final long NOW = T0 + 100_000;

    private LocalView populate(long seed, boolean aging) {
        Random random = new Random(seed);
        LocalView view = new LocalView();
        for (int q = 0; q < 6; q++) {
            QueueDefinition.Builder b = QueueDefinition.builder("q" + q).requireSkill("s" + q, 1 + random.nextInt(6))
                    .priority(random.nextInt(3))
                    .relax(RelaxationStep.after(Duration.ofSeconds(40)).skillLevel("s" + q, 1))
                    .relax(RelaxationStep.after(Duration.ofSeconds(80)).addQueue("q" + (q + 1) % 6));
            if (aging && q % 2 == 0) {
                b.priorityAging(Duration.ofSeconds(15));
            }
            view.applyQueue(b.build());
        }
        for (int i = 0; i < 150; i++) {
            Map<String, Integer> skills = new HashMap<>();
            for (int k = 0; k < 3; k++) {
                skills.put("s" + random.nextInt(8), 1 + random.nextInt(10));
            }
            Set<String> languages = random.nextBoolean() ? Set.of("en") : Set.of("en", "fr");
            AgentRecord agent = AgentRecord.login(null, new AgentProfile("a" + i, null, "PJSIP/" + i, skills, languages),
                    1, T0);
            // a few ties on idle time, to exercise the tie-breaks
            agent = random.nextInt(5) == 0 ? agent : agent.ready(T0 + random.nextInt(20) * 1000L);
            view.applyAgent(agent);
        }
        for (int c = 0; c < 300; c++) {
            CallRequest.Builder b = CallRequest.builder("c" + c, "q" + random.nextInt(6)).priority(random.nextInt(3));
            if (random.nextInt(4) == 0) {
                b.skill("s" + random.nextInt(8), 1 + random.nextInt(5));
            }
            if (random.nextInt(5) == 0) {
                b.language("fr");
            }
            CallRecord call = CallRecord.waiting(b.build(), "node", c, T0 + random.nextInt(100) * 1000L);
            if (random.nextInt(10) == 0) {
                call = call.offer("x", "x", "PJSIP/x", T0).requeue("x");
            }
            view.applyCall(call);
        }
        return view;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void builtInStrategiesChooseWhatTheirPublicDefinitionChooses(long seed) {
        LocalView view = populate(seed, false);
        for (MatchingStrategy builtIn : List.of(MatchingStrategy.bestSkillThenLongestIdle(), MatchingStrategy.longestIdle())) {
            Matcher fast = new Matcher(view, builtIn);
            MatchingStrategy wrapped = builtIn::choose; // not recognised: goes through the public interface
            Matcher reference = new Matcher(view, wrapped);
            int chosen = 0;
            for (CallEntry call : view.calls()) {
                AgentEntry a = fast.chooseAgent(call, NOW, Set.of());
                AgentEntry b = reference.chooseAgent(call, NOW, Set.of());
                assertThat(a == null ? null : a.id()).as("call %s", call.id()).isEqualTo(b == null ? null : b.id());
                chosen += a == null ? 0 : 1;
            }
            assertThat(chosen).as("the data lets many calls find an agent").isGreaterThan(100);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void callsInQueueOrderGiveTheFirstServableCall(long seed) {
        LocalView view = populate(seed, false);
        assertThat(view.callsInOrder()).isNotNull();
        assertFirstServableCall(view);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void withAgingTheOrderIsComputedAtDecisionTime(long seed) {
        LocalView view = populate(seed, true);
        assertThat(view.callsInOrder()).isNull();
        assertFirstServableCall(view);
    }

    private void assertFirstServableCall(LocalView view) {
        Matcher matcher = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle());
        List<CallEntry> sorted = new ArrayList<>(view.calls());
        sorted.sort(view.order(NOW));
        int found = 0;
        for (AgentEntry agent : view.agents()) {
            CallEntry expected = sorted.stream()
                    .filter(c -> !c.record.isOffered() && matcher.canServe(agent, c, NOW)).findFirst().orElse(null);
            CallEntry actual = matcher.chooseCall(agent, NOW, Set.of());
            if (!agent.isReady()) {
                assertThat(actual).isNull();
                continue;
            }
            assertThat(actual == null ? null : actual.id()).as("agent %s", agent.id())
                    .isEqualTo(expected == null ? null : expected.id());
            found += actual == null ? 0 : 1;
        }
        assertThat(found).isGreaterThan(50);
    }

    @ParameterizedTest
    @ValueSource(longs = {7})
    void theOrderFollowsQueuePriorityChanges(long seed) {
        LocalView view = populate(seed, false);
        view.applyQueue(QueueDefinition.builder("q3").requireSkill("s3", 1).priority(50).build());
        List<CallEntry> inOrder = new ArrayList<>();
        view.callsInOrder().forEach(inOrder::add);
        List<CallEntry> sorted = new ArrayList<>(view.calls());
        sorted.sort(view.order(NOW));
        assertThat(inOrder).extracting(CallEntry::id).containsExactlyElementsOf(sorted.stream().map(CallEntry::id).toList());
        assertThat(inOrder.stream().filter(c -> !c.record.head()).findFirst().orElseThrow().record.queueId()).isEqualTo("q3");
    }
}
