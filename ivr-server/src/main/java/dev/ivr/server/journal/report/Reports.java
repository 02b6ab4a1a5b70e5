package dev.ivr.server.journal.report;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.AgentKpis;
import dev.ivr.server.journal.kpi.CampaignCalculator;
import dev.ivr.server.journal.kpi.CampaignKpis;
import dev.ivr.server.journal.kpi.FirstContact;
import dev.ivr.server.journal.kpi.FlowFunnel;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.QueueKpis;
import dev.ivr.server.journal.kpi.QueueSums;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The historical reports, from journal events: queues and agents per interval, flows (containment and funnel),
 * and the previous period of the same length for comparison. Pure: the events are given.
 */
public final class Reports {
    /** The longest period a report may cover. */
    public static final Duration MAX_PERIOD = Duration.ofDays(400);
    public static final List<String> QUEUE_COLUMNS = List.of("interval_start", "interval_end", "queue", "offered",
            "answered", "answered_in_time", "abandoned", "short_abandoned", "transferred", "callbacks",
            "service_level_pct", "abandon_rate_pct", "asa_s", "average_wait_s", "longest_wait_s", "aht_s", "handled",
            "surveys", "csat_pct", "fcr_calls", "fcr_resolved", "fcr_pct");
    public static final List<String> AGENT_COLUMNS = List.of("interval_start", "interval_end", "agent", "handled",
            "ring_no_answer", "talk_s", "wrap_up_s", "aht_s", "ready_s", "not_ready_s", "on_call_s", "signed_in_s",
            "occupancy_pct", "utilization_pct", "surveys", "csat_pct", "hold_s");
    public static final List<String> FUNNEL_COLUMNS = List.of("flow", "node", "reached", "hung_up", "reached_pct");
    public static final List<String> FLOW_COLUMNS = List.of("interval_start", "interval_end", "flow", "entered",
            "self_served", "containment_pct");
    public static final List<String> CAMPAIGN_COLUMNS = List.of("interval_start", "interval_end", "campaign", "attempts",
            "answered", "busy", "no_answer", "congestion", "failed", "machine", "dialing", "skipped", "contacts",
            "contact_rate_pct", "abandoned", "abandon_rate_pct", "agent_handled", "average_talk_s", "aht_s", "opt_outs");

    /** The first-contact-resolution window when none is configured ({@code reports.fcr-window}). */
    public static final Duration FCR_WINDOW = Duration.ofDays(7);

    private final KpiCalculator calculator;
    private final Duration fcrWindow;

    public Reports(KpiRules rules) {
        this(rules, FCR_WINDOW);
    }

    public Reports(KpiRules rules, Duration fcrWindow) {
        this.calculator = new KpiCalculator(rules);
        this.fcrWindow = fcrWindow;
    }

    /** How long after a call a repeat call of the same customer means it was not resolved. */
    public Duration fcrWindow() {
        return fcrWindow;
    }

    /** Checks a period. */
    public static void check(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("a report covers at most " + MAX_PERIOD.toDays() + " days");
        }
    }

    /**
     * Per interval and queue (and the center as queue "*"); {@code queue} null for every queue. First-contact
     * resolution needs the ended calls of the {@link #fcrWindow} after {@code to} among the events, else the last
     * days' calls look resolved.
     */
    public ReportTable queues(List<JournalEvent> events, Instant from, Instant to, Intervals intervals, String queue) {
        return queues(calculator.compute(events, from, to, intervals),
                FirstContact.compute(events, from, to, intervals, fcrWindow), queue);
    }

    /** The queue report of figures already computed (per interval, in order) and first-contact resolution. */
    public ReportTable queues(List<KpiCalculator.Result> results, Map<Instant, Map<String, FirstContact>> fcr,
                              String queue) {
        List<List<Object>> rows = new ArrayList<>();
        for (KpiCalculator.Result r : results) {
            Map<String, FirstContact> f = fcr.getOrDefault(r.from(), Map.of());
            if (queue == null) {
                java.util.SortedSet<String> names = new java.util.TreeSet<>(r.queues().keySet());
                names.addAll(f.keySet());
                names.remove(QueueKpis.ALL);
                for (String n : names) {
                    QueueKpis q = r.queues().getOrDefault(n, QueueSums.ZERO.kpis(n));
                    if (counted(q) || f.containsKey(n)) {
                        rows.add(queueRow(r, q, f.get(n)));
                    }
                }
                rows.add(queueRow(r, r.center(), f.get(QueueKpis.ALL)));
            } else if (r.queues().containsKey(queue)) {
                rows.add(queueRow(r, r.queues().get(queue), f.get(queue)));
            } else {
                rows.add(queueRow(r, QueueSums.ZERO.kpis(queue), f.get(queue)));
            }
        }
        return new ReportTable(QUEUE_COLUMNS, rows);
    }

    /** Per interval and agent; {@code agent} null for every agent. */
    public ReportTable agents(List<JournalEvent> events, Instant from, Instant to, Intervals intervals, String agent) {
        List<List<Object>> rows = new ArrayList<>();
        for (KpiCalculator.Result r : calculator.compute(events, from, to, intervals)) {
            for (AgentKpis a : r.agents().values()) {
                if (agent != null && !agent.equals(a.agent())) {
                    continue;
                }
                rows.add(agentRow(r.from(), r.to(), a));
            }
        }
        return new ReportTable(AGENT_COLUMNS, rows);
    }

    /** A row of the agent report. */
    public static List<Object> agentRow(Instant from, Instant to, AgentKpis a) {
        Map<String, Long> s = a.stateMs();
        return List.of(from.toString(), to.toString(), a.agent(), a.handled(), a.ringNoAnswer(),
                secs(a.talkMs()), secs(a.wrapUpMs()), opt(secs(a.ahtMs())), secs(s.getOrDefault("READY", 0L)),
                secs(s.getOrDefault("NOT_READY", 0L)), secs(s.getOrDefault("ON_CALL", 0L)), secs(a.signedInMs()),
                opt(pct(a.occupancy())), opt(pct(a.utilization())), a.surveys(), opt(pct(a.csat())), secs(a.holdMs()));
    }

    /**
     * Containment per interval and flow: a call counts in the interval it entered the flow in (its first event there
     * when it entered before the events begin). A flow appears in an interval when calls entered it then.
     */
    public ReportTable flows(List<JournalEvent> events, Instant from, Instant to, Intervals intervals, String flow) {
        java.util.TreeMap<Instant, Instant> ends = new java.util.TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            ends.put(s, intervals.next(s, to));
        }
        Map<String, Instant> startOf = new java.util.HashMap<>();
        for (JournalEvent e : events) {
            if (e.callId() != null && FlowFunnel.reads(e.type())) {
                startOf.merge(e.callId(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<Instant, List<JournalEvent>> byInterval = new java.util.TreeMap<>();
        for (JournalEvent e : events) {
            Instant at = e.callId() == null ? null : startOf.get(e.callId());
            if (at == null || at.isBefore(from) || !at.isBefore(to)) {
                continue;
            }
            byInterval.computeIfAbsent(ends.floorKey(at), k -> new ArrayList<>()).add(e);
        }
        List<List<Object>> rows = new ArrayList<>();
        byInterval.forEach((start, list) -> {
            Instant s = start.isBefore(from) ? from : start;
            Instant e = ends.get(start).isAfter(to) ? to : ends.get(start);
            FlowFunnel.of(list).values().stream().filter(f -> flow == null || flow.equals(f.flow())).forEach(f ->
                    rows.add(flowRow(s, e, f.flow(), f.entered(), f.selfServed())));
        });
        return new ReportTable(FLOW_COLUMNS, rows);
    }

    /** A row of the flow report: calls that entered the flow in the interval, those it served, containment. */
    public static List<Object> flowRow(Instant from, Instant to, String flow, long entered, long selfServed) {
        return List.of(from.toString(), to.toString(), flow, entered, selfServed,
                opt(pct(entered == 0 ? null : (double) selfServed / entered)));
    }

    /** The drop-off funnel: per flow and node, calls that reached it and callers who hung up there. */
    public ReportTable funnel(List<JournalEvent> events, String flow) {
        List<List<Object>> rows = new ArrayList<>();
        FlowFunnel.of(events).values().stream().filter(f -> flow == null || flow.equals(f.flow())).forEach(f -> {
            for (FlowFunnel.Step s : f.steps()) {
                rows.add(funnelRow(f.flow(), s.node(), s.reached(), s.hungUp(), f.entered()));
            }
        });
        return new ReportTable(FUNNEL_COLUMNS, rows);
    }

    /** A row of the funnel: a flow's node, the calls that reached it and hung up there, of those that entered. */
    public static List<Object> funnelRow(String flow, String node, long reached, long hungUp, long entered) {
        return List.of(flow, node, reached, hungUp, opt(pct(entered == 0 ? null : (double) reached / entered)));
    }

    /**
     * Per interval and campaign, and every campaign as campaign "*" (when more than one is shown); {@code campaign}
     * null for every campaign. A campaign appears in an interval when something was counted for it.
     */
    public static ReportTable campaigns(List<CampaignCalculator.Result> results, String campaign) {
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignCalculator.Result r : results) {
            if (campaign != null) {
                rows.add(campaignRow(r.from(), r.to(), r.campaigns().getOrDefault(campaign, CampaignKpis.zero(campaign))));
                continue;
            }
            r.campaigns().values().stream().filter(CampaignKpis::counted).forEach(k -> rows.add(campaignRow(r.from(), r.to(), k)));
            rows.add(campaignRow(r.from(), r.to(), r.all()));
        }
        return new ReportTable(CAMPAIGN_COLUMNS, rows);
    }

    private static List<Object> campaignRow(Instant from, Instant to, CampaignKpis k) {
        List<Object> row = new ArrayList<>(List.of(from.toString(), to.toString(), k.campaign(), k.attempts(), k.answered(),
                k.busy(), k.noAnswer(), k.congestion(), k.failed(), k.machine(), k.dialing(), k.skipped(), k.contacts()));
        row.add(pct(k.contactRate()));
        row.add(k.abandoned());
        row.add(pct(k.abandonRate()));
        row.add(k.agentHandled());
        row.add(secs(k.averageTalkMs()));
        row.add(secs(k.ahtMs()));
        row.add(k.optOuts());
        return row;
    }

    /** Whether anything was counted for the queue (a queue row appears in an interval only then). */
    private static boolean counted(QueueKpis q) {
        return q.offered() + q.answered() + q.abandoned() + q.transferred() + q.callbacks() + q.handled() > 0;
    }

    private static List<Object> queueRow(KpiCalculator.Result r, QueueKpis q, FirstContact fcr) {
        List<Object> row = new ArrayList<>(List.of(r.from().toString(), r.to().toString(), q.queue(), q.offered(),
                q.answered(), q.answeredInTime(), q.abandoned(), q.shortAbandoned(), q.transferred(), q.callbacks()));
        row.add(pct(q.serviceLevel()));
        row.add(pct(q.abandonRate()));
        row.add(secs(q.asaMs()));
        row.add(secs(q.averageWaitMs()));
        row.add(secs(q.longestWaitMs()));
        row.add(secs(q.ahtMs()));
        row.add(q.handled());
        row.add(q.surveys());
        row.add(pct(q.csat()));
        FirstContact f = fcr == null ? FirstContact.NONE : fcr;
        row.add(f.calls());
        row.add(f.resolved());
        row.add(pct(f.rate()));
        return row;
    }

    /** A percentage with one decimal, or null. */
    static BigDecimal pct(Double fraction) {
        return fraction == null || fraction.isNaN() ? null
                : BigDecimal.valueOf(fraction * 100).setScale(1, RoundingMode.HALF_UP);
    }

    /** Seconds with one decimal, or null. */
    static BigDecimal secs(Long ms) {
        return ms == null ? null : BigDecimal.valueOf(ms).divide(BigDecimal.valueOf(1000), 1, RoundingMode.HALF_UP);
    }

    private static Object opt(Object o) {
        return o == null ? "" : o;
    }
}
