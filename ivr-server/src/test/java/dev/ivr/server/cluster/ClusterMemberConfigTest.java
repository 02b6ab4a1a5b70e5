package dev.ivr.server.cluster;

import com.hazelcast.config.Config;
import dev.ivr.server.config.ClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the embedded member is configured with, apart from what the cluster tests exercise. */
class ClusterMemberConfigTest {
    @Test
    void hazelcastsOwnMetricsAreNotCollectedButMapStatisticsAre(@TempDir Path dir) {
        ClusterConfig cluster = new ClusterConfig("ivr", "127.0.0.1", 5701, List.of("127.0.0.1"), false, 1, "");
        Config config = ClusterMember.hazelcastConfig(cluster, "n1", ClusterSecret.load(cluster, dir));
        // the 5-second collection for the Management Center and JMX, neither of which ivr offers
        assertThat(config.getMetricsConfig().isEnabled()).isFalse();
        // getLocalMapStats (the callback sweep, the tests) reads the maps' own statistics, still kept
        assertThat(config.getMapConfig("default").isStatisticsEnabled()).isTrue();
        assertThat(config.getMapConfig("default").getBackupCount()).isEqualTo(1);
    }
}
