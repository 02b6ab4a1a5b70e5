package dev.ivr.server.routing;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RoutingService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The queues and agents now, for Prometheus: calls waiting and the longest wait per queue, agents
 * by state per queue and in all. Labels are bounded: the configured queue ids and the agent
 * states (never a call or an agent id). The figures are the cluster's, from this member's
 * replica (every server reports the same: take {@code max by (queue)} across servers). One
 * snapshot serves a whole scrape.
 */
public final class QueueGauges {
    /** How long one reading of the routing service serves (a scrape reads every gauge at once). */
    static final long FRESH_NANOS = 1_000_000_000L;

    private record Snapshot(long at, Map<String, QueueStatus> queues, Map<AgentState, Integer> agents) {
    }

    private final RoutingService routing;
    private volatile Snapshot last;

    private QueueGauges(RoutingService routing) {
        this.routing = routing;
    }

    /** Registers the gauges of these queues (the configured ones) and of the agent states. */
    public static QueueGauges register(RoutingService routing, MeterRegistry meters, Collection<String> queueIds) {
        QueueGauges g = new QueueGauges(routing);
        for (String q : queueIds) {
            g.gauge(meters, "ivr.queue.waiting", "Calls waiting (or being offered) in the queue now", q, null,
                    s -> s.waiting());
            g.gauge(meters, "ivr.queue.longest.wait.seconds", "Wait of the longest-waiting call of the queue now", q, null,
                    s -> s.longestWait().toMillis() / 1000.0);
            for (AgentState state : AgentState.values()) {
                if (state != AgentState.LOGGED_OUT) {
                    g.gauge(meters, "ivr.queue.agents", "Agents who meet the queue's requirements, by state", q, state,
                            s -> s.agents().getOrDefault(state, 0));
                }
            }
        }
        for (AgentState state : AgentState.values()) {
            Gauge.builder("ivr.agents", g, x -> x.snapshot().agents().getOrDefault(state, 0))
                    .description("Agents by state now (cluster-wide)").tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .strongReference(true) // nothing else holds the gauges' source
                    .register(meters);
        }
        return g;
    }

    private void gauge(MeterRegistry meters, String name, String description, String queue, AgentState state,
                       ToDoubleFunction<QueueStatus> f) {
        Gauge.Builder<QueueGauges> b = Gauge.builder(name, this, g -> {
            QueueStatus s = g.snapshot().queues().get(queue);
            return s == null ? 0 : f.applyAsDouble(s);
        }).description(description).tag("queue", queue).strongReference(true);
        if (state != null) {
            b.tag("state", state.name().toLowerCase(java.util.Locale.ROOT));
        }
        b.register(meters);
    }

    private Snapshot snapshot() {
        Snapshot s = last;
        long now = System.nanoTime();
        if (s != null && now - s.at() < FRESH_NANOS) {
            return s;
        }
        Map<String, QueueStatus> queues = new LinkedHashMap<>();
        Map<AgentState, Integer> agents = new EnumMap<>(AgentState.class);
        try {
            for (QueueStatus q : routing.queues()) {
                queues.put(q.queueId(), q);
            }
            List<Agent> all = routing.agents();
            for (Agent a : all) {
                agents.merge(a.state(), 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            return s != null ? s : new Snapshot(now, Map.of(), Map.of()); // the cluster is busy: the last figures
        }
        s = new Snapshot(now, queues, agents);
        last = s;
        return s;
    }
}
