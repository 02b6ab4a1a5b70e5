package dev.ivr.server.testing;

import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.ClusterConfig;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Two cluster members of the server's own kind ({@link ClusterMember}: the test configuration's cluster of its
 * own, joined on loopback: both on port 0, b told the port a bound), both with their data in {@code dir}; started
 * when both see each other. Closing stops
 * b, then a. (Whole servers: {@link ServerPair}; bare Hazelcast members: {@code dev.ivr.testsupport.TestCluster}.)
 */
public final class MemberPair implements AutoCloseable {
    public final ClusterMember a;
    public final ClusterMember b;

    private MemberPair(ClusterMember a, ClusterMember b) {
        this.a = a;
        this.b = b;
    }

    /** Members "a" and "b", up and joined. */
    public static MemberPair start(Path dir) {
        ClusterConfig cluster = TestConfigs.server(dir).cluster(); // port 0: b is told the port a bound
        ClusterMember a = ClusterMember.start(cluster, "a", dir);
        ClusterMember b;
        try {
            b = ClusterMember.start(TestConfigs.joining(cluster, a), "b", dir);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        MemberPair pair = new MemberPair(a, b);
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> a.hazelcast().getCluster().getMembers().size() == 2);
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    @Override
    public void close() {
        b.close();
        a.close();
    }
}
