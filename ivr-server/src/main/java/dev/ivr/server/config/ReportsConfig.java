package dev.ivr.server.config;

import java.time.Duration;

/** Reporting: how KPIs are counted, and the live window of the dashboard and the Prometheus KPI gauges. */
public record ReportsConfig(
        @Doc("Callers who hang up within this wait in a queue are short abandons: left out of service level and abandon rate (they hung up before anyone could have answered). 0s keeps every abandon. Each queue's service-level threshold is its routing.queues[].service-level-time.")
        Duration shortAbandon,
        @Doc("The service-level threshold of calls whose queue has none (reports of queues no longer configured).")
        Duration serviceLevelTime,
        @Doc("The live KPIs (dashboard, /api/reports/live, ivr_kpi_* gauges) cover this last stretch of time, cluster-wide.")
        Duration liveWindow,
        @Doc("How often the live KPIs are computed again from the journal.")
        Duration liveRefresh,
        @Doc("First-contact resolution: a call of an identified customer counts as resolved when the same customer does not call again within this time after it (reports' fcr_* columns).")
        Duration fcrWindow) implements Validated {

    @Override
    public void validate(Problems p) {
        if (shortAbandon == null || shortAbandon.isNegative()) {
            p.add("short-abandon", "must be 0s or more");
        }
        if (serviceLevelTime == null || serviceLevelTime.isNegative()) {
            p.add("service-level-time", "must be 0s or more");
        }
        p.positive("live-window", liveWindow);
        p.positive("live-refresh", liveRefresh);
        p.positive("fcr-window", fcrWindow);
        if (liveRefresh != null && liveRefresh.compareTo(Duration.ofSeconds(1)) < 0) {
            p.add("live-refresh", "must be at least 1s (got " + DurationText.format(liveRefresh) + ")");
        }
    }
}
