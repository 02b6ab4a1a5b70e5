package dev.ivr.server.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems as {@code key: message} lines, with the key path prefixed. */
public final class Problems {
    private final List<String> lines = new ArrayList<>();
    private final String prefix;

    public Problems() {
        this("");
    }

    private Problems(String prefix) {
        this.prefix = prefix;
    }

    /** Reports a problem with {@code key} (relative to this section). */
    public void add(String key, String message) {
        lines.add(prefix + key + ": " + message);
    }

    /** Validates a nested section under {@code key}. */
    public void section(String key, Validated section) {
        if (section == null) {
            add(key, "is missing");
            return;
        }
        Problems nested = new Problems(prefix + key + ".");
        section.validate(nested);
        lines.addAll(nested.lines);
    }

    public void port(String key, int port) {
        if (port < 1 || port > 65535) {
            add(key, "must be a TCP port between 1 and 65535 (got " + port + ")");
        }
    }

    /** A port to listen on: 1-65535, or 0 for any free port (tests, several servers on one host). */
    public void listenPort(String key, int port) {
        if (port < 0 || port > 65535) {
            add(key, "must be a TCP port between 1 and 65535, or 0 for any free port (got " + port + ")");
        }
    }

    public void positive(String key, long value) {
        if (value <= 0) {
            add(key, "must be greater than 0 (got " + value + ")");
        }
    }

    public void positive(String key, java.time.Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            add(key, "must be a duration greater than 0 such as 10s or 500ms (got " + value + ")");
        }
    }

    /** Each entry must be an address block (CIDR, IPv4 or IPv6, no host names). */
    public void cidrs(String key, java.util.List<String> blocks) {
        for (int i = 0; i < blocks.size(); i++) {
            try {
                dev.ivr.server.net.Cidr.parse(blocks.get(i));
            } catch (IllegalArgumentException e) {
                add(key + "[" + i + "]", e.getMessage());
            }
        }
    }

    public void notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            add(key, "must not be empty");
        }
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }
}
