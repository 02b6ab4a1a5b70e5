package dev.ivr.server.routing;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EligibilityTest {
    static final QueueDefinition SUPPORT = QueueDefinition.builder("support").requireSkill("technical", 5)
            .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("technical", 3))
            .relax(RelaxationStep.after(Duration.ofMinutes(2)).addQueue("general"))
            .build();
    static final QueueDefinition GENERAL = QueueDefinition.builder("general").requireSkill("general", 1).build();
    static final Map<String, QueueDefinition> QUEUES = Map.of("support", SUPPORT, "general", GENERAL);

    static Agent agent(AgentState state, Map<String, Integer> skills, String... languages) {
        return new Agent("a", "A", "PJSIP/1", skills, Set.of(languages), state, Instant.EPOCH, null, null, null, null,
                null, null);
    }

    static boolean could(CallRequest call, Duration maxWait, Agent... agents) {
        return Eligibility.anyoneCouldServe(call, SUPPORT, QUEUES, maxWait, List.of(agents));
    }

    @Test
    void anAgentMeetingTheRequirementsAtSomeReachableStageCouldServe() {
        CallRequest call = CallRequest.builder("c", "support").build();
        assertThat(could(call, Duration.ofMinutes(5), agent(AgentState.NOT_READY, Map.of("technical", 5)))).isTrue();
        // level 3 is enough after 30 s, if the call may wait that long
        assertThat(could(call, Duration.ofMinutes(5), agent(AgentState.READY, Map.of("technical", 3)))).isTrue();
        assertThat(could(call, Duration.ofSeconds(20), agent(AgentState.READY, Map.of("technical", 3)))).isFalse();
        // another queue's agents after 2 minutes
        assertThat(could(call, Duration.ofMinutes(5), agent(AgentState.READY, Map.of("general", 1)))).isTrue();
        assertThat(could(call, Duration.ofMinutes(1), agent(AgentState.READY, Map.of("general", 1)))).isFalse();
    }

    @Test
    void loggedOutAgentsLanguagesAndTheCallsOwnSkillsCount() {
        CallRequest call = CallRequest.builder("c", "support").skill("technical", 7).language("fr").build();
        Agent expert = agent(AgentState.READY, Map.of("technical", 8), "fr");
        assertThat(could(call, Duration.ofMinutes(1), expert)).isTrue();
        assertThat(could(call, Duration.ofMinutes(1), agent(AgentState.READY, Map.of("technical", 8), "en"))).isFalse();
        assertThat(could(call, Duration.ofMinutes(1), agent(AgentState.LOGGED_OUT, Map.of("technical", 8), "fr"))).isFalse();
        // the relaxation step lowers the merged level to 3 after 30 s
        assertThat(could(call, Duration.ofMinutes(1), agent(AgentState.READY, Map.of("technical", 4), "fr"))).isTrue();
        assertThat(could(call, Duration.ofSeconds(10), agent(AgentState.READY, Map.of("technical", 4), "fr"))).isFalse();
        assertThat(could(call, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void aQueueMaximumWaitShorterThanTheNodesCutsTheStages() {
        QueueDefinition quick = SUPPORT.toBuilder().maxWait(Duration.ofSeconds(20), "voicemail").build();
        CallRequest call = CallRequest.builder("c", "support").build();
        assertThat(Eligibility.stages(call, quick, QUEUES, Duration.ofHours(1))).hasSize(1);
        assertThat(Eligibility.stages(call, SUPPORT, QUEUES, Duration.ofHours(1))).hasSize(3);
    }
}
