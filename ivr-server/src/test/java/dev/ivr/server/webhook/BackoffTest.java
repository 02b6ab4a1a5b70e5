package dev.ivr.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void theCeilingDoublesUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), () -> 0.0);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(b::ceiling).map(Duration::toSeconds).toList())
                .containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(b.ceiling(1000)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void jitterIsBetweenHalfAndAllOfTheCeiling() {
        assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), () -> 0.0).delay(3))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), () -> 0.5).delay(3))
                .isEqualTo(Duration.ofSeconds(6));
        assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), () -> 0.999_999).delay(3))
                .isBetween(Duration.ofMillis(7999), Duration.ofSeconds(8));
        Backoff random = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), Math::random);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.delay(4)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(16));
        }
    }
}
