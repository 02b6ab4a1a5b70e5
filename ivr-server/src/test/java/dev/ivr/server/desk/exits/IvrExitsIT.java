package dev.ivr.server.desk.exits;

import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** IVR exit counts on a real Hazelcast member, with a clock the test moves. */
@Tag("integration")
class IvrExitsIT {
    @Test
    void exitsAreCountedPerFlowNodeOverTheWindow(@TempDir Path dir) {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-02T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (ClusterMember member = ClusterMember.start(TestConfigs.server(dir).cluster(), "exits-test", dir)) {
            IvrExits exits = new IvrExits(member.hazelcast(), Duration.ofHours(24), clock);
            AtomicBoolean changed = new AtomicBoolean();
            exits.listen(() -> changed.set(true));
            for (int i = 0; i < 3; i++) {
                exits.exit("customer-service", "main-menu");
            }
            exits.exit("verify-caller", "ask-pin");
            exits.call("customer-service");
            exits.call("customer-service");
            IvrExits.Snapshot s = exits.snapshot();
            assertThat(s.exits()).containsExactly(new IvrExits.Exit("customer-service", "main-menu", 3),
                    new IvrExits.Exit("verify-caller", "ask-pin", 1));
            assertThat(s.calls()).containsEntry("customer-service", 2L);
            assertThat(s.totalExits()).isEqualTo(4);
            await().untilTrue(changed);

            // 12 hours later: still in the window; one more
            now.set(now.get().plus(Duration.ofHours(12)));
            exits.exit("customer-service", "main-menu");
            assertThat(exits.snapshot().exits().get(0).count()).isEqualTo(4);
            // a day after the first ones: only the later one is left
            now.set(now.get().plus(Duration.ofHours(13)));
            assertThat(exits.snapshot().exits()).containsExactly(new IvrExits.Exit("customer-service", "main-menu", 1));
            now.set(now.get().plus(Duration.ofHours(13)));
            assertThat(exits.snapshot().exits()).isEmpty();
            assertThat(exits.snapshot().totalCalls()).isZero();
        }
    }
}
