package dev.ivr.server.testing;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.net.HostPort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Configurations for servers started by tests: every listener on port 0, a cluster of their own (a unique
 * name, so tests running at the same time never join each other; no members listed, so a member forms
 * its cluster alone; one cluster secret shared by every test server of this JVM, so the members a
 * test starts can join each other: see {@link #joining}), a temporary data directory, no TTS and no Sphinx4 unless
 * asked (each loads models for seconds; the tests of speech turn it on). Built through the same
 * loader as production, with the
 * overrides given as IVR_* environment variables.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    private static Path sharedSecret;

    /** One cluster secret for every test server of this JVM (in a temporary directory, mode 600). */
    public static synchronized Path clusterSecret() {
        if (sharedSecret == null) {
            try {
                Path dir = Files.createTempDirectory("ivr-test-secret");
                dir.toFile().deleteOnExit();
                sharedSecret = dir.resolve("cluster.key");
                dev.ivr.server.cluster.ClusterSecret.generate(sharedSecret);
                sharedSecret.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sharedSecret;
    }

    public static IvrConfig server(Path dataDir) {
        return server(dataDir, Map.of());
    }

    /** @param overrides IVR_* variables, e.g. Map.of("IVR_TTS_ENABLED", "true") */
    public static IvrConfig server(Path dataDir, Map<String, String> overrides) {
        return ConfigLoader.load(env(dataDir, overrides));
    }

    /** The test defaults plus a configuration file (what a section of its own needs, such as routing queues). */
    public static IvrConfig server(Path dataDir, Path yaml) {
        return ConfigLoader.load(yaml, env(dataDir, Map.of()));
    }

    /** A configuration file and IVR_* overrides (such as a flows directory of the test's own). */
    public static IvrConfig server(Path dataDir, Path yaml, Map<String, String> overrides) {
        return ConfigLoader.load(yaml, env(dataDir, overrides));
    }

    private static Map<String, String> env(Path dataDir, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("IVR_NODE_NAME", "test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("IVR_NODE_DATA_DIR", dataDir.toString());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "test-" + UUID.randomUUID());
        env.put("IVR_CLUSTER_PORT", "0"); // any free port; a member that joins it is told the port bound (joining)
        env.put("IVR_CLUSTER_SECRET_FILE", clusterSecret().toString());
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_SPEECH_SPHINX_ENABLED", "false");
        env.put("IVR_FLOWS_DIR", Path.of("..", "flows").toAbsolutePath().normalize().toString());
        env.put("IVR_FLOWS_CALENDARS", Path.of("..", "config", "calendars.yaml").toAbsolutePath().normalize().toString());
        env.put("IVR_PROMPTS_DIR", Path.of("..", "prompts").toAbsolutePath().normalize().toString());
        env.putAll(overrides);
        return env;
    }

    /**
     * The cluster settings of a member that joins members already running: {@code cluster} (the first member's)
     * on any free port, with the running members' actual addresses as its members. A member killed and started
     * again is given the live ones. (A member that must come back on its own address, as a restarted server does
     * on its configured port, needs a picked port: {@link #joining(ClusterConfig, int, ClusterMember...)}.)
     */
    public static ClusterConfig joining(ClusterConfig cluster, ClusterMember... running) {
        return joining(cluster, 0, running);
    }

    /** As {@link #joining(ClusterConfig, ClusterMember...)}, bound to {@code port}. */
    public static ClusterConfig joining(ClusterConfig cluster, int port, ClusterMember... running) {
        List<String> members = Arrays.stream(running).map(m -> address(m.hazelcast())).toList();
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no running member to join");
        }
        return new ClusterConfig(cluster.name(), cluster.bind(), port, members, cluster.multicast(),
                cluster.backupCount(), cluster.secretFile());
    }

    /** A running member's address as other members list it ({@code cluster.members}, IVR_CLUSTER_MEMBERS). */
    public static String address(HazelcastInstance member) {
        Address a = member.getCluster().getLocalMember().getAddress();
        return HostPort.format(a.getHost(), a.getPort());
    }
}
