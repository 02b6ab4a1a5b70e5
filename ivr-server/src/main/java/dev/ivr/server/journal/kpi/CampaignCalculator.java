package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign report's figures (pure: no I/O, no clock): per interval and campaign, from the attempts started in
 * the period, the opt-outs made in it, and the agents' journal events (talk and wrap-up of the attempts' calls).
 * Everything about an attempt counts in the interval it started in. Definitions: docs/reporting.md.
 */
public final class CampaignCalculator {
    private CampaignCalculator() {
    }

    /** One campaign's opt-out (a do-not-call entry a flow made for it). */
    public record OptOut(String campaign, Instant at) {
    }

    /** The figures of one interval: per campaign (sorted) and for every campaign. */
    public record Result(Instant from, Instant to, Map<String, CampaignKpis> campaigns, CampaignKpis all) {
    }

    /** The agents' talk and wrap-up on one call (one or more talks that ended). */
    public record Talk(long talkMs, long wrapUpMs) {
    }

    /**
     * @param agentEvents the agents' events from {@code from} until {@code until} (after {@code to}: a call's talk
     *                    may end after the period), in any order
     * @param until       how far the agent events go: a wrap-up still open then counts up to it
     */
    public static List<Result> compute(List<CampaignAttempt> attempts, List<OptOut> optOuts,
                                       List<JournalEvent> agentEvents, Instant until, Instant from, Instant to,
                                       Intervals intervals) {
        return compute(attempts, optOuts, talks(agentEvents, until), from, to, intervals);
    }

    /**
     * The same from each call's talk and wrap-up worked out already (the attempts' rows keep them: the report's
     * intervals that do not fall on quarter hours).
     *
     * @param talks per call id, the talks that ended on it (a call with none is not in it)
     */
    public static List<Result> compute(List<CampaignAttempt> attempts, List<OptOut> optOuts, Map<String, Talk> talks,
                                       Instant from, Instant to, Intervals intervals) {
        TreeMap<Instant, Instant> ends = new TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            ends.put(s, intervals.next(s, to));
        }
        Map<Instant, Map<String, CampaignKpis>> buckets = new TreeMap<>();
        ends.keySet().forEach(s -> buckets.put(s, new TreeMap<>()));
        for (CampaignAttempt a : attempts) {
            if (a.startedAt().isBefore(from) || !a.startedAt().isBefore(to)) {
                continue;
            }
            buckets.get(ends.floorKey(a.startedAt())).merge(a.campaign(), one(a, talks), CampaignKpis::plus);
        }
        for (OptOut o : optOuts) {
            if (o.at().isBefore(from) || !o.at().isBefore(to)) {
                continue;
            }
            CampaignKpis k = optOuts(o.campaign(), 1);
            buckets.get(ends.floorKey(o.at())).merge(o.campaign(), k, CampaignKpis::plus);
        }
        List<Result> out = new ArrayList<>();
        buckets.forEach((s, campaigns) -> {
            CampaignKpis all = CampaignKpis.zero(CampaignKpis.ALL);
            for (CampaignKpis k : campaigns.values()) {
                all = all.plus(k);
            }
            Instant e = ends.get(s);
            out.add(new Result(s.isBefore(from) ? from : s, e.isAfter(to) ? to : e, campaigns, all));
        });
        return out;
    }

    /** One attempt's figures. */
    static CampaignKpis one(CampaignAttempt a, Map<String, Talk> talks) {
        String r = a.result() == null ? null : a.result().toLowerCase(Locale.ROOT);
        boolean answered = "answered".equals(r) || "abandoned".equals(r) || "machine".equals(r);
        Talk talk = answered && a.callId() != null ? talks.get(a.callId()) : null;
        return attempts(a.campaign(), a.result(), 1, talk == null ? 0 : 1, talk == null ? 0 : talk.talkMs(),
                talk == null ? 0 : talk.wrapUpMs());
    }

    /**
     * The figures of {@code n} attempts of one campaign with the same result ({@code null} while dialling), of which
     * {@code agentHandled} had an agent's talk (answered ones only), and that talk and wrap-up.
     */
    public static CampaignKpis attempts(String campaign, String result, long n, long agentHandled, long talkMs,
                                        long wrapUpMs) {
        String r = result == null ? null : result.toLowerCase(Locale.ROOT);
        if ("skipped".equals(r)) {
            return new CampaignKpis(campaign, 0, 0, 0, 0, 0, 0, 0, 0, n, 0, 0, 0, 0, 0);
        }
        boolean answered = "answered".equals(r) || "abandoned".equals(r) || "machine".equals(r);
        long handled = answered ? agentHandled : 0;
        return new CampaignKpis(campaign, n, answered ? n : 0, "busy".equals(r) ? n : 0,
                "no-answer".equals(r) ? n : 0, "congestion".equals(r) ? n : 0,
                r != null && !answered && !List.of("busy", "no-answer", "congestion").contains(r) ? n : 0,
                "machine".equals(r) ? n : 0, r == null ? n : 0, 0, "abandoned".equals(r) ? n : 0, handled,
                answered ? talkMs : 0, answered ? wrapUpMs : 0, 0);
    }

    /** {@code n} opt-outs of one campaign. */
    public static CampaignKpis optOuts(String campaign, long n) {
        return new CampaignKpis(campaign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n);
    }

    /** The rows of the intervals from per-interval sums (interval start, cut at from, to campaign to figures). */
    public static List<Result> results(java.util.NavigableMap<Instant, Instant> ends,
                                       Map<Instant, Map<String, CampaignKpis>> sums) {
        List<Result> out = new ArrayList<>();
        ends.forEach((s, e) -> {
            Map<String, CampaignKpis> campaigns = new TreeMap<>(sums.getOrDefault(s, Map.of()));
            CampaignKpis all = CampaignKpis.zero(CampaignKpis.ALL);
            for (CampaignKpis k : campaigns.values()) {
                all = all.plus(k);
            }
            out.add(new Result(s, e, campaigns, all));
        });
        return out;
    }

    /**
     * Per call, the agents' talk (from ON_CALL to the agent's next event) and wrap-up (the WRAP_UP that follows, to
     * the agent's next event): talks still going on at the end of the events are left out.
     */
    static Map<String, Talk> talks(List<JournalEvent> agentEvents, Instant until) {
        List<JournalEvent> sorted = new ArrayList<>(agentEvents);
        sorted.sort(Comparator.comparing(JournalEvent::at)); // stable: events of one instant keep their order
        Map<String, List<JournalEvent>> timelines = new HashMap<>();
        for (JournalEvent e : sorted) {
            if (e.type().agentEvent() && e.agent() != null) {
                timelines.computeIfAbsent(e.agent(), x -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Talk> out = new HashMap<>();
        for (List<JournalEvent> line : timelines.values()) {
            for (int i = 0; i + 1 < line.size(); i++) {
                JournalEvent e = line.get(i);
                if (e.callId() == null || e.type() == JournalEvent.Type.AGENT_SIGNED_OUT || !"ON_CALL".equals(e.detail())) {
                    continue;
                }
                JournalEvent next = line.get(i + 1);
                long talk = Duration.between(e.at(), next.at()).toMillis();
                long wrap = 0;
                if ("WRAP_UP".equals(next.detail())) {
                    Instant wrapEnd = i + 2 < line.size() ? line.get(i + 2).at() : until;
                    wrap = Math.max(0, Duration.between(next.at(), wrapEnd).toMillis());
                }
                out.merge(e.callId(), new Talk(talk, wrap), (x, y) -> new Talk(x.talkMs() + y.talkMs(),
                        x.wrapUpMs() + y.wrapUpMs()));
            }
        }
        return out;
    }
}
