package dev.ivr.server.config;

import java.net.InetAddress;
import java.nio.file.Path;

public record NodeConfig(
        @Doc("Name of this server in logs, metrics, the diagnostic script and the cluster. Empty: the host name.")
        String name,
        @Doc("Directory for the H2 database, generated tokens, the prompt cache and other state; created if missing.")
        Path dataDir) implements Validated {

    @Override
    public void validate(Problems p) {
        if (name != null && !name.isEmpty() && !name.matches("[A-Za-z0-9._-]{1,64}")) {
            p.add("name", "use 1-64 letters, digits, '.', '_' or '-' (got '" + name + "')");
        }
        if (dataDir == null) {
            p.add("data-dir", "must be set");
        }
    }

    /** The configured name, or the host name when none is set. */
    public String effectiveName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (Exception e) {
            return "ivr";
        }
    }
}
