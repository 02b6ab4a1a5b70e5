package dev.ivr.routing.hazelcast;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static dev.ivr.routing.hazelcast.Fixtures.loggedIn;
import static dev.ivr.routing.hazelcast.Fixtures.skills;
import static dev.ivr.routing.hazelcast.Fixtures.withState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * "Could any agent ever serve this call": the matcher's own requirements at every relaxation stage the call
 * reaches before it leaves (the server asks before queueing a caller, and while the caller waits).
 */
class AnyAgentCouldServeTest {
    static final QueueDefinition SUPPORT = QueueDefinition.builder("support").requireSkill("technical", 5)
            .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("technical", 3))
            .relax(RelaxationStep.after(Duration.ofMinutes(2)).addQueue("general"))
            .build();
    static final QueueDefinition GENERAL = QueueDefinition.builder("general").requireSkill("general", 1).build();

    static boolean could(QueueDefinition queue, CallRequest call, Duration maxWait, AgentState state, String skills,
                         String... languages) {
        LocalView view = new LocalView();
        view.applyQueue(queue);
        view.applyQueue(GENERAL);
        if (skills != null) {
            view.applyAgent(withState(loggedIn("a", skills(skills.split(",")), Set.of(languages)), state));
        }
        return view.anyAgentCouldServe(Fixtures.call(call, T0), maxWait);
    }

    static boolean could(CallRequest call, Duration maxWait, AgentState state, String skills, String... languages) {
        return could(SUPPORT, call, maxWait, state, skills, languages);
    }

    @Test
    void anAgentMeetingTheRequirementsAtSomeReachableStageCouldServe() {
        CallRequest call = CallRequest.builder("c", "support").build();
        assertThat(could(call, Duration.ofMinutes(5), AgentState.NOT_READY, "technical:5")).isTrue();
        // level 3 is enough after 30 s, if the call may wait that long
        assertThat(could(call, Duration.ofMinutes(5), AgentState.READY, "technical:3")).isTrue();
        assertThat(could(call, Duration.ofSeconds(20), AgentState.READY, "technical:3")).isFalse();
        // another queue's agents after 2 minutes
        assertThat(could(call, Duration.ofMinutes(5), AgentState.READY, "general:1")).isTrue();
        assertThat(could(call, Duration.ofMinutes(1), AgentState.READY, "general:1")).isFalse();
    }

    @Test
    void loggedOutAgentsLanguagesAndTheCallsOwnSkillsCount() {
        CallRequest call = CallRequest.builder("c", "support").skill("technical", 7).language("fr").build();
        assertThat(could(call, Duration.ofMinutes(1), AgentState.READY, "technical:8", "fr")).isTrue();
        assertThat(could(call, Duration.ofMinutes(1), AgentState.READY, "technical:8", "en")).isFalse();
        assertThat(could(call, Duration.ofMinutes(1), AgentState.LOGGED_OUT, "technical:8", "fr")).isFalse();
        // the relaxation step lowers the merged level to 3 after 30 s
        assertThat(could(call, Duration.ofMinutes(1), AgentState.READY, "technical:4", "fr")).isTrue();
        assertThat(could(call, Duration.ofSeconds(10), AgentState.READY, "technical:4", "fr")).isFalse();
        assertThat(could(call, Duration.ofMinutes(1), AgentState.READY, null)).isFalse();
    }

    @Test
    void aQueueMaximumWaitShorterThanTheCallsCutsTheStages() {
        QueueDefinition quick = SUPPORT.toBuilder().maxWait(Duration.ofSeconds(20), "voicemail").build();
        CallRequest call = CallRequest.builder("c", "support").build();
        assertThat(could(quick, call, Duration.ofHours(1), AgentState.READY, "technical:3")).isFalse();
        assertThat(could(SUPPORT, call, Duration.ofHours(1), AgentState.READY, "technical:3")).isTrue();
        assertThat(could(SUPPORT, call, null, AgentState.READY, "general:1")).as("no limit").isTrue();
    }
}
