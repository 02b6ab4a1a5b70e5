package dev.ivr.server.outbound.pacing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's scenario (50 agents, 8 simulated hours, answer rate 25-35%, handle time 3 min ±
 * 1 min) as a test of the pacing: predictive holds every hour at or under the 3% cap with 85%
 * occupancy or more, and beats progressive. Simulated time: no wall-clock figure is asserted.
 */
class PacingSimulationTest {

    @Test
    void predictiveHoldsTheCapEveryHourAndBeatsProgressive() {
        for (long seed : List.of(19L, 3L, 7L)) {
            PacingSimulation sim = new PacingSimulation(50, 8, seed);
            PacingSimulation.Run progressive = sim.run(DialMode.PROGRESSIVE, PacingSettings.DEFAULTS);
            PacingSimulation.Run predictive = sim.run(DialMode.PREDICTIVE, PacingSettings.DEFAULTS);
            assertThat(progressive.abandonRate()).as("progressive never abandons here").isZero();
            assertThat(predictive.hours()).hasSize(8).allSatisfy(h -> {
                assertThat(h.abandonRate()).as("seed %d hour %d", seed, h.hour() + 1).isLessThanOrEqualTo(0.03);
                assertThat(h.answerRate()).isBetween(0.25, 0.35);
            });
            assertThat(predictive.occupancy()).as("seed %d", seed).isGreaterThanOrEqualTo(0.85);
            assertThat(predictive.occupancy()).isGreaterThan(progressive.occupancy() + 0.05);
            assertThat(predictive.contactsPerAgentHour()).isGreaterThan(progressive.contactsPerAgentHour());
        }
    }

    @Test
    void aLowerCapAbandonsLess() {
        PacingSimulation sim = new PacingSimulation(50, 4, 5);
        PacingSimulation.Run strict = sim.run(DialMode.PREDICTIVE, PacingSettings.DEFAULTS.withAbandonCap(0.01));
        PacingSimulation.Run usual = sim.run(DialMode.PREDICTIVE, PacingSettings.DEFAULTS);
        assertThat(strict.worstHourAbandonRate()).isLessThanOrEqualTo(0.01);
        assertThat(strict.abandonRate()).isLessThan(usual.abandonRate());
    }
}
