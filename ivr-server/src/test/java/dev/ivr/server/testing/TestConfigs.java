package dev.ivr.server.testing;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.testsupport.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Configurations for servers started by tests: free ports, a cluster of their own (a unique
 * name, so tests running at the same time never join each other; a base port the system
 * found free; one cluster secret shared by every test server of this JVM, so the members a
 * test starts can join each other), a temporary data directory, no TTS and no Sphinx4 unless
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
        env.put("IVR_CLUSTER_PORT", Integer.toString(FreePorts.pick())); // a base: Hazelcast tries the next ones when taken
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
}
