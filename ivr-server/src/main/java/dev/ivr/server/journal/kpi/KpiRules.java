package dev.ivr.server.journal.kpi;

import java.time.Duration;
import java.util.Map;

/**
 * How the KPIs are counted.
 *
 * @param serviceLevelThreshold a call answered within this wait counts as answered in service level (e.g. 20 s)
 * @param queueThresholds       per queue, its own threshold (a queue's service-level-time)
 * @param shortAbandon          callers who hang up within this wait are short abandons: left out of service level
 *                              and abandon rate (they hung up before anyone could have answered); zero keeps them in
 */
public record KpiRules(Duration serviceLevelThreshold, Duration shortAbandon, Map<String, Duration> queueThresholds) {
    public static final KpiRules DEFAULT = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5));

    /** The same threshold for every queue. */
    public KpiRules(Duration serviceLevelThreshold, Duration shortAbandon) {
        this(serviceLevelThreshold, shortAbandon, Map.of());
    }

    /** The service-level threshold of a queue (its own, else the default). */
    public Duration threshold(String queue) {
        return queue == null ? serviceLevelThreshold : queueThresholds.getOrDefault(queue, serviceLevelThreshold);
    }

    public KpiRules {
        if (serviceLevelThreshold == null || serviceLevelThreshold.isNegative()) {
            throw new IllegalArgumentException("service level threshold must be zero or more");
        }
        if (shortAbandon == null || shortAbandon.isNegative()) {
            throw new IllegalArgumentException("short abandon must be zero or more");
        }
        queueThresholds = queueThresholds == null ? Map.of() : Map.copyOf(queueThresholds);
    }
}
