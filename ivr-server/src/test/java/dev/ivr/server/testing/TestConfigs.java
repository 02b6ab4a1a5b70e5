package dev.ivr.server.testing;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Configurations for servers started by tests: free ports, a cluster of their own (a unique
 * name, so tests running at the same time never join each other), a temporary data
 * directory, no TTS and no Sphinx4 unless asked (each loads models for seconds; the tests of
 * speech turn it on). Built through the same loader as production, with the
 * overrides given as IVR_* environment variables.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static IvrConfig server(Path dataDir) {
        return server(dataDir, Map.of());
    }

    /** @param overrides IVR_* variables, e.g. Map.of("IVR_TTS_ENABLED", "true") */
    public static IvrConfig server(Path dataDir, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("IVR_NODE_NAME", "test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("IVR_NODE_DATA_DIR", dataDir.toString());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "test-" + UUID.randomUUID());
        env.put("IVR_CLUSTER_PORT", "15701");
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_SPEECH_SPHINX_ENABLED", "false");
        env.put("IVR_FLOWS_DIR", Path.of("..", "flows").toAbsolutePath().normalize().toString());
        env.put("IVR_FLOWS_CALENDARS", Path.of("..", "config", "calendars.yaml").toAbsolutePath().normalize().toString());
        env.put("IVR_PROMPTS_DIR", Path.of("..", "prompts").toAbsolutePath().normalize().toString());
        env.putAll(overrides);
        return ConfigLoader.load(env);
    }
}
