package dev.ivr.server.routing;

import dev.ivr.routing.QueuePosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WaitTickTest {
    @Test
    void theTickGrowsWithTheDistanceFromTheHeadOfTheQueue() {
        assertThat(QueueCallRouter.tickFor(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(QueueCallRouter.tickFor(at(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(QueueCallRouter.tickFor(at(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(QueueCallRouter.tickFor(at(11))).isEqualTo(Duration.ofSeconds(2));
        assertThat(QueueCallRouter.tickFor(at(50))).isEqualTo(Duration.ofSeconds(2));
        assertThat(QueueCallRouter.tickFor(at(51))).isEqualTo(Duration.ofSeconds(5));
        assertThat(QueueCallRouter.tickFor(at(9000))).isEqualTo(Duration.ofSeconds(5));
    }

    private static QueuePosition at(int position) {
        return new QueuePosition("c", "support", position, 9000, Duration.ZERO, Duration.ofMinutes(5));
    }
}
