package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --config FILE}, shared by the commands that read the server configuration. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $IVR_CONFIG, else config/ivr.yaml if present, else built-in defaults).")
    Path file;

    /** The file that will be read, or null for defaults only. */
    public Path resolve() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("IVR_CONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path local = Path.of("config", "ivr.yaml");
        return Files.isRegularFile(local) ? local : null;
    }

    /**
     * Loads and validates the configuration (file, then IVR_* environment variables).
     *
     * @throws ConfigException with every problem found
     */
    public IvrConfig load() {
        return ConfigLoader.load(resolve(), System.getenv());
    }

    /** The configuration, or null after printing every problem it has (the commands then exit with 2). */
    public IvrConfig loadOrReport(PrintWriter err) {
        try {
            return load();
        } catch (ConfigException e) {
            err.println("ivr-server: the configuration has problems:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return null;
        }
    }
}
