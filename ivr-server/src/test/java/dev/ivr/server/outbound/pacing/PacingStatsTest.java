package dev.ivr.server.outbound.pacing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PacingStatsTest {
    private static final Instant T0 = Instant.parse("2027-03-01T08:00:00Z");

    @Test
    void measuresTheLastDialResultsAndHandleTimes() {
        PacingStats s = new PacingStats(Duration.ofHours(24));
        assertThat(s.answerRate()).isEmpty();
        assertThat(s.connectSeconds()).isEmpty();
        assertThat(s.handleSeconds()).isEmpty();
        s.dialResult(true, Duration.ofSeconds(10));
        s.dialResult(false, Duration.ofSeconds(30));
        s.dialResult(true, Duration.ofSeconds(20));
        s.dialResult(false, Duration.ofSeconds(3));
        assertThat(s.answerRate().getAsDouble()).isEqualTo(0.5);
        assertThat(s.connectSeconds().getAsDouble()).as("answered calls only").isEqualTo(15);
        // older results leave the measurement: only the last RESULTS count
        for (int i = 0; i < PacingStats.RESULTS; i++) {
            s.dialResult(i % 4 == 0, Duration.ofSeconds(8));
        }
        assertThat(s.answerRate().getAsDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(s.samples()).isEqualTo(PacingStats.RESULTS + 4);
        s.handled(Duration.ofMinutes(2));
        s.handled(Duration.ofMinutes(4));
        assertThat(s.handleSeconds().getAsDouble()).isEqualTo(180);
        assertThat(s.handledCalls()).isEqualTo(2);
    }

    @Test
    void abandonRateIsOverTheRollingWindow() {
        PacingStats s = new PacingStats(Duration.ofHours(24));
        assertThat(s.abandonRate(T0, Duration.ofHours(24))).isZero();
        for (int i = 0; i < 97; i++) {
            s.connected(T0);
        }
        s.abandoned(T0);
        s.abandoned(T0.plusSeconds(30));
        s.abandoned(T0.plusSeconds(59));
        assertThat(s.answered(T0.plusSeconds(60), Duration.ofHours(24))).isEqualTo(100);
        assertThat(s.abandonRate(T0.plusSeconds(60), Duration.ofHours(24))).isEqualTo(0.03);
        // two hours later: the last hour is clean, the 24 h window still holds them
        Instant later = T0.plus(Duration.ofHours(2));
        s.connected(later);
        assertThat(s.abandonRate(later, Duration.ofHours(1))).isZero();
        assertThat(s.abandonRate(later, Duration.ofHours(24))).isCloseTo(3 / 101.0, within(1e-12));
        // after 24 h they are forgotten
        Instant dayLater = T0.plus(Duration.ofHours(24)).plusSeconds(60);
        s.connected(dayLater);
        assertThat(s.answered(dayLater, Duration.ofHours(24))).isEqualTo(2);
        assertThat(s.abandoned(dayLater, Duration.ofHours(24))).isZero();
    }
}
