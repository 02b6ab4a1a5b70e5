package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which measured plateaus of {@code loadgen setup} cannot stand for the set-up rate. */
class SetupSpoiledTest {
    static StepResult plateau(int rate, Map<String, Long> failures, double otherCpuPercent) {
        return new StepResult("ivr", OpeningScenario.NAME, rate, rate * 5, 30.0, rate, rate * 30L, rate * 30L, failures,
                rate * 150L, 300, 9000, 20_000, 40_000, 250, 10_000, 50.0, 1_000_000_000L, 100_000_000L, 20.0, 30_000, 60_000,
                100_000_000, 500_000_000, 80, 900, 1000, 5000, 1000, 5000, 1.5, otherCpuPercent);
    }

    @Test
    void aCleanPlateauOnAQuietMachineStands() {
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of(), 5), 50)).isNull();
        // slow or failing for other reasons: not held, but a figure all the same
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of("scenario_greeting_skipped", 3L), 5), 50)).isNull();
    }

    @Test
    void aFallbackGreetingOrAWaitForTheGreetingSpoilsIt() {
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of("scenario_greeting_fallback", 294L), 5), 50))
                .contains("294 callers at 150/s heard the fallback greeting and 0 waited");
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of("scenario_greeting_waited", 14L), 5), 50))
                .contains("0 callers at 150/s heard the fallback greeting and 14 waited for theirs");
    }

    @Test
    void aBusyMachineSpoilsItUnlessTheLimitIsOff() {
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of(), 132), 50))
                .contains("other processes used 132% of a CPU").contains("--max-other-cpu 50%");
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of(), 132), -1)).isNull();
        assertThat(LoadGen.Setup.spoiled(plateau(150, Map.of(), 50), 50)).as("at the limit").isNull();
    }
}
