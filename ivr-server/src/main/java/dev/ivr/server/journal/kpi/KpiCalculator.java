package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The contact-center KPIs of a period, computed from journal events (pure: no I/O, no clock). Call figures count
 * the events that happened in {@code [from, to)}; handle times count the calls whose talk ended in it; agent state
 * times are clipped to it (events before {@code from} only say which state an agent was in when it began).
 * Definitions: docs/reporting.md.
 */
public final class KpiCalculator {
    private final KpiRules rules;

    public KpiCalculator(KpiRules rules) {
        this.rules = rules;
    }

    /** The figures of a period (or of one interval of a report). */
    public record Result(Instant from, Instant to, Map<String, QueueKpis> queues, QueueKpis center,
                         Map<String, AgentKpis> agents) {
    }

    /** The call events whose own figures {@link #compute} counts (its switch); agent events count too (timelines). */
    private static final Set<JournalEvent.Type> COUNTED = EnumSet.of(JournalEvent.Type.CALL_QUEUED,
            JournalEvent.Type.CALL_ANSWERED, JournalEvent.Type.CALL_ABANDONED, JournalEvent.Type.CALL_TRANSFERRED,
            JournalEvent.Type.CALLBACK_REQUESTED, JournalEvent.Type.CALL_SURVEYED, JournalEvent.Type.CALL_RING_NO_ANSWER,
            JournalEvent.Type.CALL_UNHOLD);

    /**
     * The event with only what {@link #compute} reads of it: for any event its time, type, call and queue (which
     * queue a call's other events belong to); for the counted ones and agent events also the agent, duration, detail
     * and reason. The event id, flow, node, server and customer are never read, so they are dropped. {@code calls}
     * and {@code names} may return an equal string kept elsewhere, for the call id and for the queue, agent, detail
     * and reason (the same few values over and over). {@code compute} gives the same figures for these events as for
     * the whole ones: what a holder of many events (the live window, {@code journal.store.LiveKpis}) keeps instead.
     */
    public static JournalEvent input(JournalEvent e, UnaryOperator<String> calls, UnaryOperator<String> names) {
        boolean counted = COUNTED.contains(e.type()) || e.type().agentEvent();
        return new JournalEvent(null, e.at(), e.type(), calls.apply(e.callId()), null, null, names.apply(e.queue()),
                counted ? names.apply(e.agent()) : null, counted ? e.durationMs() : null,
                counted ? names.apply(e.detail()) : null, counted ? names.apply(e.reason()) : null, null, null);
    }

    /**
     * Whether {@code e} can change the figures of one window ({@link #compute(List, Instant, Instant)}): a counted
     * event, an agent event, or an event that names a queue (which queue its call's other events belong to). Any other
     * event (a call's node events, its entry and end, identification, ...) adds nothing to one window's figures, so a
     * holder of one window's events (the live window, {@code journal.store.LiveKpis}) need not keep it. One difference
     * only: such an event in the window makes the queue its call is known by appear with zero figures when nothing
     * else of that queue is in the window (its call's queue event stamped at or after the window's end, or known only
     * from an agent's event before it); without it that queue appears once its own event is in the window (the next
     * refresh). Not for reports by interval: there an interval's empty queue rows come from such events too.
     */
    public static boolean countsInOneWindow(JournalEvent e) {
        return COUNTED.contains(e.type()) || e.type().agentEvent() || e.queue() != null;
    }

    /** The figures of the whole period. */
    public Result compute(List<JournalEvent> events, Instant from, Instant to) {
        return compute(events, from, to, new Intervals("all", 0, java.time.ZoneOffset.UTC)).get(0);
    }

    /** The figures of each interval of the period, in order (intervals without any event included). */
    public List<Result> compute(List<JournalEvent> events, Instant from, Instant to, Intervals intervals) {
        List<JournalEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(JournalEvent::at)); // stable: events of one instant keep their order
        TreeMap<Instant, Bucket> buckets = new TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            Instant e = intervals.next(s, to);
            buckets.put(s, new Bucket(s.isBefore(from) ? from : s, e.isAfter(to) ? to : e));
        }
        if (buckets.isEmpty()) {
            return List.of();
        }
        Map<String, String> queueOf = new HashMap<>();
        Map<String, List<JournalEvent>> timelines = new HashMap<>();
        for (JournalEvent e : sorted) {
            if (e.queue() != null && e.callId() != null) {
                queueOf.putIfAbsent(e.callId(), e.queue());
            }
            if (e.type().agentEvent() && e.agent() != null) {
                timelines.computeIfAbsent(e.agent(), a -> new ArrayList<>()).add(e);
            }
        }
        for (JournalEvent e : sorted) {
            if (e.at().isBefore(from) || !e.at().isBefore(to)) {
                continue;
            }
            Bucket b = buckets.floorEntry(e.at()).getValue();
            Map<String, Acc> queues = b.queues;
            Acc center = b.center;
            Map<String, AgentAcc> agents = b.agents;
            String queue = e.queue() != null ? e.queue() : e.callId() == null ? null : queueOf.get(e.callId());
            List<Acc> accs = queue == null ? List.of(center) : List.of(center, queues.computeIfAbsent(queue, q -> new Acc()));
            long wait = e.durationMs() == null ? 0 : e.durationMs();
            switch (e.type()) {
                case CALL_QUEUED -> accs.forEach(a -> a.offered++);
                case CALL_ANSWERED -> accs.forEach(a -> {
                    a.answered++;
                    if (wait <= rules.threshold(e.queue()).toMillis()) {
                        a.answeredInTime++;
                    }
                    a.answerWait += wait;
                    a.waited(wait);
                });
                case CALL_ABANDONED -> accs.forEach(a -> {
                    a.abandoned++;
                    if (wait < rules.shortAbandon().toMillis()) {
                        a.shortAbandoned++;
                    }
                    a.waited(wait);
                });
                case CALL_TRANSFERRED -> accs.forEach(a -> a.transferred++);
                case CALLBACK_REQUESTED -> accs.forEach(a -> a.callbacks++);
                case CALL_SURVEYED -> {
                    boolean satisfied = "4".equals(e.detail()) || "5".equals(e.detail());
                    accs.forEach(a -> a.surveyed(satisfied));
                    if (e.agent() != null) {
                        agents.computeIfAbsent(e.agent(), a -> new AgentAcc()).surveyed(satisfied);
                    }
                }
                case CALL_RING_NO_ANSWER -> {
                    if (e.agent() != null) {
                        agents.computeIfAbsent(e.agent(), a -> new AgentAcc()).ringNoAnswer++;
                    }
                }
                case CALL_UNHOLD -> {
                    if (e.agent() != null) {
                        agents.computeIfAbsent(e.agent(), a -> new AgentAcc()).hold += wait;
                    }
                }
                default -> {
                    // node, identify, ... are not KPI inputs
                }
            }
        }
        timelines.forEach((agent, line) -> agentTimeline(agent, line, from, to, buckets, queueOf));
        List<Result> out = new ArrayList<>();
        buckets.values().forEach(b -> out.add(b.result()));
        return out;
    }

    /** One interval's accumulators. */
    private static final class Bucket {
        final Instant from;
        final Instant to;
        final Map<String, Acc> queues = new TreeMap<>();
        final Acc center = new Acc();
        final Map<String, AgentAcc> agents = new TreeMap<>();

        Bucket(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        Result result() {
            Map<String, QueueKpis> qs = new TreeMap<>();
            queues.forEach((q, a) -> qs.put(q, a.kpis(q)));
            Map<String, AgentKpis> as = new TreeMap<>();
            agents.forEach((id, a) -> as.put(id, a.kpis(id)));
            return new Result(from, to, qs, center.kpis(QueueKpis.ALL), as);
        }
    }

    /** Time in each state, split over the intervals; talk and wrap-up of each call in the interval its talk ended in. */
    private static void agentTimeline(String agentId, List<JournalEvent> line, Instant from, Instant to,
                                      NavigableMap<Instant, Bucket> buckets, Map<String, String> queueOf) {
        for (int i = 0; i < line.size(); i++) {
            JournalEvent e = line.get(i);
            String state = e.type() == JournalEvent.Type.AGENT_SIGNED_OUT ? "LOGGED_OUT" : e.detail();
            if (state == null) {
                continue;
            }
            Instant end = i + 1 < line.size() ? line.get(i + 1).at() : to;
            Instant s = e.at().isBefore(from) ? from : e.at();
            Instant clipEnd = end.isAfter(to) ? to : end;
            while (!"LOGGED_OUT".equals(state) && s.isBefore(clipEnd)) {
                Bucket b = buckets.floorEntry(s).getValue();
                Instant stop = b.to.isBefore(clipEnd) ? b.to : clipEnd;
                long ms = Duration.between(s, stop).toMillis();
                AgentAcc agent = b.agents.computeIfAbsent(agentId, a -> new AgentAcc());
                agent.stateMs.merge(state, ms, Long::sum);
                if ("NOT_READY".equals(state)) {
                    agent.reasonMs.merge(e.reason() == null ? "" : e.reason(), ms, Long::sum);
                }
                s = stop;
            }
            if (!e.at().isBefore(from) && e.at().isBefore(to) && e.type() != JournalEvent.Type.AGENT_SIGNED_OUT) {
                buckets.floorEntry(e.at()).getValue().agents.computeIfAbsent(agentId, a -> new AgentAcc());
            }
            if ("ON_CALL".equals(state) && i + 1 < line.size() && !end.isBefore(from) && end.isBefore(to)) {
                Bucket b = buckets.floorEntry(end).getValue();
                AgentAcc agent = b.agents.computeIfAbsent(agentId, a -> new AgentAcc());
                Map<String, Acc> queues = b.queues;
                Acc center = b.center;
                long talk = Duration.between(e.at(), end).toMillis();
                long wrap = 0;
                JournalEvent next = line.get(i + 1);
                if ("WRAP_UP".equals(next.detail())) {
                    Instant wrapEnd = i + 2 < line.size() ? line.get(i + 2).at() : to;
                    wrap = Math.max(0, Duration.between(next.at(), wrapEnd).toMillis());
                }
                agent.handled++;
                agent.talk += talk;
                agent.wrap += wrap;
                String queue = e.callId() == null ? null : queueOf.get(e.callId());
                long w = wrap;
                List<Acc> accs = queue == null ? List.of(center) : List.of(center, queues.computeIfAbsent(queue, q -> new Acc()));
                accs.forEach(a -> {
                    a.handled++;
                    a.talk += talk;
                    a.wrap += w;
                });
            }
        }
    }

    private static final class Acc {
        long offered;
        long answered;
        long answeredInTime;
        long abandoned;
        long shortAbandoned;
        long transferred;
        long callbacks;
        long answerWait;
        long totalWait;
        long waits;
        long longestWait;
        long handled;
        long talk;
        long wrap;
        long surveys;
        long satisfied;

        void surveyed(boolean happy) {
            surveys++;
            satisfied += happy ? 1 : 0;
        }

        void waited(long ms) {
            totalWait += ms;
            waits++;
            longestWait = Math.max(longestWait, ms);
        }

        QueueKpis kpis(String queue) {
            return new QueueSums(offered, answered, answeredInTime, abandoned, shortAbandoned, transferred, callbacks,
                    answerWait, totalWait, waits, longestWait, handled, talk, wrap,
                    surveys, satisfied).kpis(queue);
        }
    }

    private static final class AgentAcc {
        long handled;
        long ringNoAnswer;
        long talk;
        long wrap;
        long hold;
        final Map<String, Long> stateMs = new TreeMap<>();
        final Map<String, Long> reasonMs = new TreeMap<>();
        long surveys;
        long satisfied;

        void surveyed(boolean happy) {
            surveys++;
            satisfied += happy ? 1 : 0;
        }

        AgentKpis kpis(String agent) {
            return AgentKpis.of(agent, handled, ringNoAnswer, talk, wrap, stateMs, reasonMs, surveys, satisfied, hold);
        }
    }
}
