package dev.ivr.server.outbound.pacing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PacingTest {
    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");

    /** Stats as a campaign that measured {@code results} dial results at answer rate {@code p}. */
    private static PacingStats measured(int results, double p, int handled) {
        PacingStats s = new PacingStats(Duration.ofHours(24));
        for (int i = 0; i < results; i++) {
            s.dialResult(i % 100 < Math.round(p * 100), Duration.ofSeconds(12));
        }
        for (int i = 0; i < handled; i++) {
            s.handled(Duration.ofMinutes(3));
        }
        return s;
    }

    @Test
    void progressiveDialsOneCallPerReadyAgentLessTheCallsRingingOrWaiting() {
        Pacing p = new Pacing(DialMode.PROGRESSIVE, PacingSettings.DEFAULTS, measured(300, 0.3, 50));
        assertThat(p.toDial(new PacingInput(5, 20, 0, 0), NOW)).isEqualTo(5);
        assertThat(p.toDial(new PacingInput(5, 20, 3, 0), NOW)).isEqualTo(2);
        assertThat(p.toDial(new PacingInput(5, 20, 3, 1), NOW)).isEqualTo(1);
        assertThat(p.toDial(new PacingInput(2, 20, 3, 1), NOW)).isZero();
        assertThat(p.toDial(new PacingInput(0, 0, 0, 0), NOW)).isZero();
    }

    @Test
    void predictiveRingsMoreCallsThanReadyAgentsOnceMeasured() {
        Pacing p = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, measured(300, 0.3, 50));
        int n = p.toDial(new PacingInput(5, 45, 0, 0), NOW);
        assertThat(n).isGreaterThan(5);
        // about (ready + the busy finishing within the connect time) / answer rate: (5 + 45*12/180) / 0.3 = 26.7
        assertThat(n).isBetween(12, 27);
        // no agent at all: nothing
        assertThat(p.toDial(new PacingInput(0, 0, 0, 0), NOW)).isZero();
        // never more lines than max-lines-per-agent allows
        Pacing eager = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, measured(300, 0.01, 50));
        assertThat(eager.toDial(new PacingInput(10, 0, 0, 0), NOW)).isEqualTo(30);
    }

    @Test
    void predictiveDialsAsProgressiveUntilEnoughIsMeasured() {
        Pacing fresh = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, measured(29, 0.3, 50));
        assertThat(fresh.toDial(new PacingInput(5, 45, 0, 0), NOW)).isEqualTo(5);
        Pacing noHandled = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, measured(300, 0.3, 9));
        assertThat(noHandled.toDial(new PacingInput(5, 45, 0, 0), NOW)).isEqualTo(5);
    }

    @Test
    void predictiveFallsBackToProgressiveAtTheAbandonCapOverTheRollingWindow() {
        PacingStats s = measured(300, 0.3, 50);
        // 3 of 100 answered calls abandoned 20 hours ago: the 24 h rate is at the cap
        Instant earlier = NOW.minus(Duration.ofHours(20));
        for (int i = 0; i < 100; i++) {
            if (i < 3) {
                s.abandoned(earlier);
            } else {
                s.connected(earlier);
            }
        }
        Pacing p = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, s);
        assertThat(p.allowance(NOW)).isZero();
        assertThat(p.toDial(new PacingInput(5, 45, 0, 0), NOW)).isEqualTo(5);
        // 25 hours later those calls left the window: predictive again
        Instant later = earlier.plus(Duration.ofHours(25));
        assertThat(p.allowance(later)).isEqualTo(0.03 * Pacing.BASE_SHARE);
        assertThat(p.toDial(new PacingInput(5, 45, 0, 0), later)).isGreaterThan(5);
        // a higher cap lets the same history dial predictively
        Pacing lax = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS.withAbandonCap(0.05), s);
        assertThat(lax.toDial(new PacingInput(5, 45, 0, 0), NOW)).isGreaterThan(5);
    }

    @Test
    void theAllowanceShrinksAsTheLastHourNearsTheCap() {
        PacingStats s = measured(300, 0.3, 50);
        Pacing p = new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, s);
        int before = p.toDial(new PacingInput(5, 45, 0, 0), NOW);
        for (int i = 0; i < 100; i++) {
            if (i < 2) {
                s.abandoned(NOW.minusSeconds(600));
            } else {
                s.connected(NOW.minusSeconds(600));
            }
        }
        assertThat(p.allowance(NOW)).isCloseTo(0.03 * Pacing.BASE_SHARE / 3, within(1e-9));
        assertThat(p.toDial(new PacingInput(5, 45, 0, 0), NOW)).isLessThan(before).isGreaterThanOrEqualTo(5);
    }

    @Test
    void expectedAbandonedIsTheBinomialExpectation() {
        // 2 calls, p = 0.5, 1 free agent: K = 2 with probability 1/4 abandons 1
        assertThat(Pacing.expectedAbandoned(2, 0.5, 1)).isCloseTo(0.25, within(1e-12));
        assertThat(Pacing.expectedAbandoned(10, 0.3, 100)).isZero();
        assertThat(Pacing.expectedAbandoned(4, 1.0, 1.5)).isEqualTo(2.5);
        // brute force over all 2^n outcomes
        int n = 8;
        double p = 0.3;
        double free = 2.4;
        double brute = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            int k = Integer.bitCount(mask);
            brute += Math.pow(p, k) * Math.pow(1 - p, n - k) * Math.max(0, k - free);
        }
        assertThat(Pacing.expectedAbandoned(n, p, free)).isCloseTo(brute, within(1e-12));
    }

    @Test
    void agentlessAndPreviewAreNotPaced() {
        assertThatThrownBy(() -> new Pacing(DialMode.AGENTLESS, PacingSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacing(DialMode.PREVIEW, PacingSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacingSettings.DEFAULTS.withAbandonCap(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacingInput(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
