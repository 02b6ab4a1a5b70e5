package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.QueueKpis;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.text.SharedStrings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * The KPIs of the last {@code window} (cluster-wide: read from the journal every server writes), refreshed every
 * {@code every} on the {@code journal-kpis} platform thread; served to the dashboard and as Prometheus gauges
 * labelled by queue only ({@code ivr_kpi_*{queue="billing"}}, {@code queue="*"} for the whole center).
 */
public final class LiveKpis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveKpis.class);

    private final KpiCalculator calculator;
    private final Duration window;
    private final Duration every;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    /**
     * The window's events as the calculator reads them ({@link KpiCalculator#input}): a busy hour is hundreds of
     * thousands of events, and ids, flows, nodes and servers the KPIs never read were most of their memory. Only the
     * events that count in one window ({@link KpiCalculator#countsInOneWindow}): a call's entry, node events and end
     * (every event of a call that never queues; read from {@code journal_nodes} for nothing) were held for the whole
     * window and copied, sorted and walked at every refresh, a cost that grew with the window up to its hour.
     */
    private final List<JournalEvent> events = new ArrayList<>();
    private final Map<String, JournalEvent> agentContext = new HashMap<>();
    /** One string for each queue, agent, state or reason seen (a few hundred); emptied if it ever grows past {@link #NAMES}. */
    private final SharedStrings names = new SharedStrings(NAMES);
    static final int NAMES = 10_000; // transfer destinations, say: never more than this many kept
    private volatile KpiCalculator.Result current;
    /** What is new in the journal, each row once (rows that commit out of sequence order included). */
    private final JournalCursor rows;
    private final Thread thread;
    private volatile boolean closed;

    public LiveKpis(JournalReader reader, KpiRules rules, Duration window, Duration every, Clock clock,
                    MeterRegistry meters) {
        this.rows = new JournalCursor(reader, false); // node events never count: not read
        this.calculator = new KpiCalculator(rules);
        this.window = window;
        this.every = every;
        this.clock = clock;
        this.meters = meters;
        Instant now = clock.instant();
        this.current = calculator.compute(List.of(), now.minus(window), now);
        gauges(QueueKpis.ALL);
        Gauge.builder("ivr.kpi.agent.occupancy", this, k -> average(k, true))
                .description("Mean occupancy of the agents signed in over the window").register(meters);
        Gauge.builder("ivr.kpi.agent.utilization", this, k -> average(k, false))
                .description("Mean utilization of the agents signed in over the window").register(meters);
        this.thread = BackgroundThreads.start("journal-kpis", this::loop);
    }

    /** The latest figures (of the window ending at the last refresh). */
    public KpiCalculator.Result current() {
        return current;
    }

    public Duration window() {
        return window;
    }

    /** Events held in the window (tests). */
    synchronized int held() {
        return events.size() + agentContext.size();
    }

    /** Reads what is new in the journal and computes the window's figures again. */
    public synchronized void refresh() throws SQLException {
        Instant now = clock.instant();
        Instant from = now.minus(window);
        Map<String, String> calls = new HashMap<>(); // a call's events read together share its id
        for (JournalReader.Row r : rows.next(from.minus(JournalReader.AGENT_CONTEXT))) {
            if (!KpiCalculator.countsInOneWindow(r.event())) {
                continue; // a call's entry, end, identification...: nothing in one window's figures
            }
            events.add(KpiCalculator.input(r.event(), id -> id == null ? null : calls.computeIfAbsent(id, k -> k),
                    names::share));
        }
        // what fell out of the window: call events go; each agent's last event before it stays as context
        List<JournalEvent> kept = new ArrayList<>();
        for (JournalEvent e : events) {
            if (!e.at().isBefore(from)) {
                kept.add(e);
            } else if (e.type().agentEvent() && e.agent() != null) {
                JournalEvent prev = agentContext.get(e.agent());
                if (prev == null || !e.at().isBefore(prev.at())) {
                    agentContext.put(e.agent(), e);
                }
            }
        }
        events.clear();
        events.addAll(kept);
        List<JournalEvent> all = new ArrayList<>(agentContext.values());
        all.addAll(events);
        KpiCalculator.Result r = calculator.compute(all, from, now);
        current = r;
        r.queues().keySet().forEach(this::gauges);
    }

    private void gauges(String queue) {
        if (!gauged.add(queue)) {
            return;
        }
        gauge("ivr.kpi.service.level", queue, "Share of calls answered within the threshold (short abandons out)",
                q -> nan(q.serviceLevel()));
        gauge("ivr.kpi.abandon.rate", queue, "Share of offered calls abandoned (short abandons out)",
                q -> nan(q.abandonRate()));
        gauge("ivr.kpi.asa.seconds", queue, "Average speed of answer", q -> seconds(q.asaMs()));
        gauge("ivr.kpi.wait.average.seconds", queue, "Average wait of answered and abandoned calls",
                q -> seconds(q.averageWaitMs()));
        gauge("ivr.kpi.wait.longest.seconds", queue, "Longest wait of an answered or abandoned call",
                q -> q.longestWaitMs() / 1000.0);
        gauge("ivr.kpi.aht.seconds", queue, "Average handle time: talk + hold + wrap-up", q -> seconds(q.ahtMs()));
        gauge("ivr.kpi.calls.offered", queue, "Calls that entered the queue in the window", q -> q.offered());
        gauge("ivr.kpi.calls.answered", queue, "Calls answered in the window", q -> q.answered());
        gauge("ivr.kpi.calls.abandoned", queue, "Calls abandoned in the window", q -> q.abandoned());
        gauge("ivr.kpi.calls.transferred", queue, "Calls transferred in the window", q -> q.transferred());
        gauge("ivr.kpi.callbacks.requested", queue, "Callbacks requested in the window", q -> q.callbacks());
    }

    private void gauge(String name, String queue, String description, ToDoubleFunction<QueueKpis> f) {
        Gauge.builder(name, this, k -> {
            KpiCalculator.Result r = k.current;
            QueueKpis q = QueueKpis.ALL.equals(queue) ? r.center() : r.queues().get(queue);
            return q == null ? 0 : f.applyAsDouble(q);
        }).tag("queue", queue).description(description + " (over the live window)").register(meters);
    }

    private static double average(LiveKpis k, boolean occupancy) {
        var agents = k.current.agents().values();
        return agents.stream().map(a -> occupancy ? a.occupancy() : a.utilization()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static double seconds(Long ms) {
        return ms == null ? Double.NaN : ms / 1000.0;
    }

    private void loop() {
        while (!closed) {
            try {
                refresh();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("live KPIs not refreshed: {}", e.toString());
            }
            LockSupport.parkNanos(this, every.toNanos());
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
