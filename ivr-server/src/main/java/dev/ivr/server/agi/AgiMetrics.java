package dev.ivr.server.agi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The FastAGI listener's meters: calls active and total, command latency, refusals, protocol errors. */
final class AgiMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(300)};

    /** The server's own turn is short: finer buckets where the targets are (under 2 ms). */
    private static final Duration[] RESPONSE_BUCKETS = {
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(200_000), Duration.ofNanos(300_000),
            Duration.ofNanos(500_000), Duration.ofNanos(750_000), Duration.ofMillis(1), Duration.ofNanos(1_500_000),
            Duration.ofMillis(2), Duration.ofMillis(3), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final MeterRegistry registry;
    /** By command label; labels are bounded (command classes, at most 256 EXEC applications and "EXEC other"). */
    private final Map<String, CommandMeters> byName = new ConcurrentHashMap<>();
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();

    AgiMetrics(MeterRegistry registry, Supplier<Number> activeCalls) {
        this.registry = registry;
        Gauge.builder("ivr.calls.active", activeCalls)
                .description("Calls in progress on this server")
                .register(registry);
    }

    /**
     * The two histograms of one AGI command, registered once: the command path records into them
     * without a tag lookup.
     */
    record CommandMeters(String name, Timer roundTrip, Timer response) {
        /** Round trip of one AGI command: sent by the server until the PBX's reply arrived. */
        void roundTrip(long nanos) {
            roundTrip.record(nanos, TimeUnit.NANOSECONDS);
        }

        /**
         * The server's turn before one AGI command: from the previous reply (or the AGI environment)
         * read to this command written, i.e. the flow's own work plus waiting for a CPU.
         */
        void response(long nanos) {
            response.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The meters of a command (its label: {@link CommandNames#of}). */
    CommandMeters meters(org.asteriskjava.fastagi.command.AgiCommand command) {
        return meters(CommandNames.of(command));
    }

    CommandMeters meters(String command) {
        CommandMeters m = byName.get(command);
        return m != null ? m : byName.computeIfAbsent(command, c -> new CommandMeters(c,
                timer("ivr.agi.command",
                        "AGI command round trip: command sent to reply received (includes playback and caller time)", c,
                        LATENCY_BUCKETS, Duration.ofNanos(100_000), Duration.ofMinutes(10)),
                timer("ivr.agi.response",
                        "Server response time: previous reply (or the AGI environment) read to this command sent", c,
                        RESPONSE_BUCKETS, Duration.ofNanos(10_000), Duration.ofMinutes(1))));
    }

    /** Round trip of one AGI command: sent by the server until the PBX's reply arrived. */
    void commandLatency(String command, long nanos) {
        meters(command).roundTrip(nanos);
    }

    /** The server's turn before one AGI command (see {@link CommandMeters#response}). */
    void responseTime(String command, long nanos) {
        meters(command).response(nanos);
    }

    /** A histogram per AGI command with Prometheus buckets at {@code buckets}. */
    private Timer timer(String name, String description, String command, Duration[] buckets, Duration min, Duration max) {
        return Timer.builder(name).description(description).tag("command", command).serviceLevelObjectives(buckets)
                .minimumExpectedValue(min).maximumExpectedValue(max).register(registry);
    }

    /** A call ended; outcome is completed, caller_hangup, not_found, failed or protocol_error. */
    void callEnded(String outcome) {
        calls.computeIfAbsent(outcome, o -> Counter.builder("ivr.calls")
                .description("Calls served since start, by how they ended")
                .tag("outcome", o)
                .register(registry)).increment();
    }

    void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("ivr.agi.connections.refused")
                .description("FastAGI connections closed at once: not in the allowlist, over capacity, shutting down")
                .tag("reason", r)
                .register(registry)).increment();
    }

    void protocolError(String kind) {
        protocolErrors.computeIfAbsent(kind, k -> Counter.builder("ivr.agi.protocol.errors")
                .description("FastAGI connections ended for a protocol problem")
                .tag("kind", k)
                .register(registry)).increment();
    }
}
