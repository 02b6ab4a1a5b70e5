package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.QueueStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Queue figures: the status of a queue (waiting, oldest wait, service level, handle time, agents by state), a
 * call's position and estimated wait, and the counters gathered on this node and flushed to the cluster.
 */
final class QueueFigures extends RoutingPart {
    private static final long FIGURES_TTL_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int[] ALL_COUNTERS = java.util.stream.IntStream.range(0, QueueStatsRecord.COUNTERS).toArray();
    private final ConcurrentHashMap<String, Figures> figures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> pendingStats = new ConcurrentHashMap<>();

    QueueFigures(RoutingContext ctx) {
        super(ctx);
    }

    /** Handle time and staffing of a queue, cached briefly for wait-time estimates. */
    private record Figures(long computedAt, long handleMillis, int staffed) {
    }

    QueueStatus status(QueueRules rules, long now) {
        String id = rules.definition.id();
        int waiting = 0;
        long oldest = Long.MAX_VALUE;
        for (CallEntry call : view.calls()) {
            if (call.record.queueId().equals(id)) {
                waiting++;
                oldest = Math.min(oldest, call.record.enqueuedAt());
            }
        }
        QueueStatsRecord stats = statsMap.get(id);
        long[] totals = stats == null ? new long[QueueStatsRecord.COUNTERS] : stats.totals(now);
        long answered = totals[QueueStatsRecord.ANSWERED];
        long inTarget = totals[QueueStatsRecord.ANSWERED_IN_TARGET];
        long denominator = answered + totals[QueueStatsRecord.ABANDONED_AFTER_TARGET] + totals[QueueStatsRecord.MAX_WAIT];
        OptionalDouble serviceLevel = denominator == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) inTarget / denominator);
        long handled = totals[QueueStatsRecord.HANDLED];
        Duration aht = handled == 0 ? rules.definition.defaultHandleTime()
                : Duration.ofMillis(totals[QueueStatsRecord.HANDLE_MILLIS] / handled);
        return new QueueStatus(rules.definition, waiting,
                waiting == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - oldest)), serviceLevel, answered,
                inTarget, totals[QueueStatsRecord.ABANDONED], totals[QueueStatsRecord.MAX_WAIT], aht,
                Map.copyOf(view.agentsFor(rules)));
    }

    QueuePosition positionOf(CallEntry call, long now) {
        String queueId = call.record.queueId();
        int waiting = view.waitingIn(queueId);
        int ahead = view.waitingAhead(call);
        if (ahead < 0) {
            ahead = 0;
            for (CallEntry other : view.calls()) {
                if (other.record.queueId().equals(queueId) && other != call && !other.record.isOffered()
                        && view.compare(other, call, now) < 0) {
                    ahead++;
                }
            }
        }
        int position = ahead + 1;
        Figures f = figures(view.queue(queueId));
        long estimate = f == null ? 0 : position * f.handleMillis / Math.max(1, f.staffed);
        return new QueuePosition(call.id(), queueId, position, waiting,
                Duration.ofMillis(Math.max(0, now - call.record.enqueuedAt())), Duration.ofMillis(estimate));
    }

    private Figures figures(QueueRules rules) {
        if (rules == null) {
            return null;
        }
        long t = System.nanoTime();
        Figures f = figures.get(rules.definition.id());
        if (f != null && t - f.computedAt < FIGURES_TTL_NANOS) {
            return f;
        }
        QueueStatsRecord stats = statsMap.get(rules.definition.id());
        long[] totals = stats == null ? new long[QueueStatsRecord.COUNTERS] : stats.totals(now());
        long handled = totals[QueueStatsRecord.HANDLED];
        long handle = handled == 0 ? rules.definition.defaultHandleTime().toMillis()
                : totals[QueueStatsRecord.HANDLE_MILLIS] / handled;
        Map<AgentState, Integer> agents = view.agentsFor(rules);
        int staffed = agents.get(AgentState.READY) + agents.get(AgentState.RESERVED)
                + agents.get(AgentState.ON_CALL) + agents.get(AgentState.WRAP_UP);
        f = new Figures(t, handle, staffed);
        figures.put(rules.definition.id(), f);
        return f;
    }

    /** Adds to this node's pending counters of a queue; {@link #flushStats} writes them to the cluster. */
    @Override
    void recordStats(String queueId, long now, int[] counters, long[] deltas) {
        pendingStats.compute(queueId, (id, pending) -> {
            long[] sum = pending == null ? new long[QueueStatsRecord.COUNTERS] : pending;
            for (int i = 0; i < counters.length; i++) {
                sum[counters[i]] += deltas[i];
            }
            return sum;
        });
    }

    /**
     * Writes the counters gathered since the last flush, one entry processor per queue (rather than one per call
     * outcome). A flush happens at every maintenance run, so a count lands in the bucket of its flush time, at
     * most one maintenance interval late; a node that dies loses the counts of that interval.
     */
    @Override
    void flushStats() {
        long now = now();
        for (String queueId : List.copyOf(pendingStats.keySet())) {
            long[] deltas = pendingStats.remove(queueId);
            if (deltas == null) {
                continue;
            }
            QueueRules rules = view.queue(queueId);
            long window = rules == null ? Duration.ofMinutes(30).toMillis()
                    : rules.definition.serviceLevel().window().toMillis();
            statsMap.executeOnKey(queueId, new StatsCommand(now, window, ALL_COUNTERS, deltas));
        }
    }
}
