package dev.ivr.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AgentStateTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "LOGGED_OUT, NOT_READY, true",
            "LOGGED_OUT, READY, false",
            "LOGGED_OUT, RESERVED, false",
            "NOT_READY, READY, true",
            "NOT_READY, NOT_READY, true",
            "NOT_READY, LOGGED_OUT, true",
            "NOT_READY, RESERVED, false",
            "NOT_READY, ON_CALL, false",
            "READY, RESERVED, true",
            "READY, NOT_READY, true",
            "READY, LOGGED_OUT, true",
            "READY, ON_CALL, false",
            "READY, WRAP_UP, false",
            "RESERVED, ON_CALL, true",
            "RESERVED, NOT_READY, true",
            "RESERVED, READY, true",
            "RESERVED, RESERVED, false",
            "RESERVED, LOGGED_OUT, false",
            "RESERVED, WRAP_UP, true", // the node that offered the call left: held in wrap-up
            "ON_CALL, WRAP_UP, true",
            "ON_CALL, READY, true",
            "ON_CALL, NOT_READY, true",
            "ON_CALL, LOGGED_OUT, false",
            "ON_CALL, RESERVED, false",
            "WRAP_UP, READY, true",
            "WRAP_UP, NOT_READY, true",
            "WRAP_UP, LOGGED_OUT, true",
            "WRAP_UP, RESERVED, false",
            "WRAP_UP, ON_CALL, false",
    })
    void onlyListedTransitionsAreAccepted(AgentState from, AgentState to, boolean accepted) {
        assertThat(from.canTransitionTo(to)).isEqualTo(accepted);
    }
}
