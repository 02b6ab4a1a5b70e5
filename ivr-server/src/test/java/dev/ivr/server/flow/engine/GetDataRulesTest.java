package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a digits input is one GET DATA: # or no terminator, the first wait at least the pause, GET DATA's limits. */
class GetDataRulesTest {
    private static final Duration FIVE = Duration.ofSeconds(5);
    private static final Duration THREE = Duration.ofSeconds(3);

    @Test
    void aHashOrNoTerminatorWithinGetDatasLimitsIsOneCommand() {
        assertThat(FlowEngine.Run.getDataKeepsRules("#", 4, FIVE, THREE)).isTrue();
        assertThat(FlowEngine.Run.getDataKeepsRules("", 1023, THREE, THREE)).isTrue();
    }

    @Test
    void otherTerminatorsAShorterFirstWaitOrGetDatasLimitsAreKeyByKey() {
        assertThat(FlowEngine.Run.getDataKeepsRules("*", 4, FIVE, THREE)).as("terminator *").isFalse();
        assertThat(FlowEngine.Run.getDataKeepsRules("#", 4, THREE, FIVE)).as("first wait shorter").isFalse();
        assertThat(FlowEngine.Run.getDataKeepsRules("#", 1024, FIVE, THREE)).as("1024 keys").isFalse();
        assertThat(FlowEngine.Run.getDataKeepsRules("#", 0, FIVE, THREE)).as("no key").isFalse();
        assertThat(FlowEngine.Run.getDataKeepsRules("#", 4, FIVE, Duration.ZERO)).as("no pause").isFalse();
    }
}
