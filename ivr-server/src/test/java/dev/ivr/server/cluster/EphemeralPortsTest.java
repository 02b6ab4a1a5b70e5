package dev.ivr.server.cluster;

import dev.ivr.server.config.ClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EphemeralPortsTest {
    static ClusterConfig port(int port) {
        return new ClusterConfig("ivr", "127.0.0.1", port, List.of("127.0.0.1"), false, 1, "");
    }

    @Test
    void readsTheRangeAsTheKernelWritesIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");
        assertThat(EphemeralPorts.of(file)).contains(new EphemeralPorts(32768, 60999));
        assertThat(EphemeralPorts.of(dir.resolve("absent"))).isEmpty();
        assertThat(EphemeralPorts.parse("many words here")).isEmpty();
        assertThat(EphemeralPorts.parse("60999 32768")).isEmpty();
        if (Files.exists(EphemeralPorts.LINUX)) {
            assertThat(EphemeralPorts.of(EphemeralPorts.LINUX)).as("this machine's").hasValueSatisfying(r ->
                    assertThat(r.low()).isGreaterThan(1023));
        }
    }

    @Test
    void aMemberPortInTheEphemeralRangeIsWarnedOf() {
        Optional<EphemeralPorts> linux = Optional.of(new EphemeralPorts(32768, 60999));
        assertThat(ClusterMember.warnOfEphemeralPorts(port(5701), linux)).as("the default").isFalse();
        assertThat(ClusterMember.warnOfEphemeralPorts(port(41235), linux)).isTrue();
        assertThat(ClusterMember.warnOfEphemeralPorts(port(32700), linux)).as("the ports tried after it reach in").isTrue();
        assertThat(ClusterMember.warnOfEphemeralPorts(port(41235), Optional.empty())).as("not Linux").isFalse();
    }
}
