package dev.ivr.server.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's components and how to ask each for its health. A critical component that is
 * down makes the whole server DOWN (HTTP 503); a non-critical one (database, TTS) only makes it
 * DEGRADED: calls go on without it.
 */
public final class HealthRegistry {
    private record Entry(boolean critical, Supplier<Health> check) {
    }

    private final Map<String, Entry> components = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();

    public void register(String name, boolean critical, Supplier<Health> check) {
        order.putIfAbsent(name, order.size());
        components.put(name, new Entry(critical, check));
    }

    /** Overall status and each component's, in registration order. */
    public Report report() {
        Map<String, Health> each = new LinkedHashMap<>();
        Health.Status overall = Health.Status.UP;
        var names = components.keySet().stream().sorted((a, b) -> order.get(a) - order.get(b)).toList();
        for (String name : names) {
            Entry e = components.get(name);
            Health h;
            try {
                h = e.check().get();
            } catch (RuntimeException ex) {
                h = Health.down("health check failed: " + ex.getMessage());
            }
            each.put(name, h);
            overall = worse(overall, h.status(), e.critical());
        }
        return new Report(overall, each);
    }

    private static Health.Status worse(Health.Status overall, Health.Status component, boolean critical) {
        Health.Status effect = switch (component) {
            case UP -> Health.Status.UP;
            case STARTING -> Health.Status.STARTING;
            case DEGRADED -> Health.Status.DEGRADED;
            case DOWN -> critical ? Health.Status.DOWN : Health.Status.DEGRADED;
        };
        return effect.ordinal() > overall.ordinal() ? effect : overall;
    }

    /** The answer of {@code /health}. */
    public record Report(Health.Status status, Map<String, Health> components) {
        /** 503 when DOWN, 200 otherwise (a degraded server still takes calls). */
        public int httpStatus() {
            return status == Health.Status.DOWN ? 503 : 200;
        }
    }
}
