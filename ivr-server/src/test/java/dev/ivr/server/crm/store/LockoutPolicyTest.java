package dev.ivr.server.crm.store;

import dev.ivr.server.config.LockoutConfig;
import dev.ivr.server.crm.Authentication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LockoutPolicyTest {
    final LockoutPolicy policy = new LockoutPolicy(new LockoutConfig(3, Duration.ofMinutes(15), Duration.ofMinutes(30)));
    final Instant t0 = Instant.parse("2025-03-01T09:00:00Z");

    @Test
    void threeFailuresInTheWindowLockForTheDuration() {
        LockoutPolicy.Decision d1 = policy.decide(LockoutPolicy.State.NONE, false, t0);
        assertThat(d1.status()).isEqualTo(Authentication.Status.FAILED);
        assertThat(d1.attemptsLeft()).isEqualTo(2);
        LockoutPolicy.Decision d2 = policy.decide(d1.next(), false, t0.plusSeconds(60));
        assertThat(d2.attemptsLeft()).isEqualTo(1);
        LockoutPolicy.Decision d3 = policy.decide(d2.next(), false, t0.plusSeconds(120));
        assertThat(d3.status()).isEqualTo(Authentication.Status.LOCKED);
        assertThat(d3.next().lockedUntil()).isEqualTo(t0.plusSeconds(120).plus(Duration.ofMinutes(30)));
        assertThat(policy.isLocked(d3.next(), t0.plus(Duration.ofMinutes(20)))).isTrue();
        assertThat(policy.decide(d3.next(), true, t0.plus(Duration.ofMinutes(20))).status())
                .as("the right PIN while locked").isEqualTo(Authentication.Status.LOCKED);
        LockoutPolicy.Decision after = policy.decide(d3.next(), false, t0.plus(Duration.ofMinutes(33)));
        assertThat(after.status()).as("after the lock a fresh count").isEqualTo(Authentication.Status.FAILED);
        assertThat(after.attemptsLeft()).isEqualTo(2);
    }

    @Test
    void theWindowStartsAtTheFirstFailure() {
        LockoutPolicy.Decision d1 = policy.decide(LockoutPolicy.State.NONE, false, t0);
        LockoutPolicy.Decision d2 = policy.decide(d1.next(), false, t0.plus(Duration.ofMinutes(14)));
        LockoutPolicy.Decision d3 = policy.decide(d2.next(), false, t0.plus(Duration.ofMinutes(15)));
        assertThat(d3.status()).isEqualTo(Authentication.Status.FAILED);
        assertThat(d3.next().failures()).isEqualTo(1);
        assertThat(d3.next().windowStartedAt()).isEqualTo(t0.plus(Duration.ofMinutes(15)));
    }

    @Test
    void aGoodPinClearsTheCount() {
        LockoutPolicy.Decision d1 = policy.decide(LockoutPolicy.State.NONE, false, t0);
        LockoutPolicy.Decision ok = policy.decide(d1.next(), true, t0.plusSeconds(10));
        assertThat(ok.status()).isEqualTo(Authentication.Status.OK);
        assertThat(ok.next()).isEqualTo(LockoutPolicy.State.NONE);
    }
}
