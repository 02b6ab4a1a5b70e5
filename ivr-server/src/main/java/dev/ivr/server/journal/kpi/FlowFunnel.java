package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IVR containment and the drop-off funnel of each flow, from the journal: how many calls entered a flow, how many
 * it served by itself, and per node how many calls reached it and how many callers hung up there.
 */
public final class FlowFunnel {
    private FlowFunnel() {
    }

    /** A node's line of the funnel. */
    public record Step(String node, long reached, long hungUp) {
    }

    /**
     * @param entered     calls that entered the flow
     * @param selfServed  calls that ended in the flow without an agent (outcome SELF_SERVED)
     * @param containment selfServed / entered (null without calls)
     * @param outcomes    calls per outcome
     * @param steps       the nodes, in the order calls first reached them
     */
    public record Flow(String flow, long entered, long selfServed, Double containment, Map<String, Long> outcomes,
                       List<Step> steps) {
    }

    /** The flows of the events (those of calls that ended), by name. */
    public static Map<String, Flow> of(List<JournalEvent> events) {
        Map<String, String> flowOf = new HashMap<>();
        Map<String, Map<String, Set<String>>> reached = new HashMap<>();
        Map<String, Map<String, Long>> hungUp = new HashMap<>();
        Map<String, Long> entered = new HashMap<>();
        Map<String, Map<String, Long>> outcomes = new HashMap<>();
        for (JournalEvent e : events) {
            switch (e.type()) {
                case CALL_ENTERED -> {
                    if (e.flow() != null && !"resumed".equals(e.detail()) && flowOf.putIfAbsent(e.callId(), e.flow()) == null) {
                        entered.merge(e.flow(), 1L, Long::sum);
                    }
                }
                case CALL_NODE -> {
                    String flow = flowOf.getOrDefault(e.callId(), e.flow());
                    if (flow != null && e.node() != null) {
                        reached.computeIfAbsent(flow, f -> new LinkedHashMap<>())
                                .computeIfAbsent(e.node(), n -> new HashSet<>()).add(e.callId());
                    }
                }
                case CALL_ENDED -> {
                    String flow = flowOf.getOrDefault(e.callId(), e.flow());
                    if (flow != null) {
                        String outcome = e.detail() == null ? "UNKNOWN" : e.detail();
                        outcomes.computeIfAbsent(flow, f -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
                        if ("ABANDONED_IN_IVR".equals(outcome) && e.node() != null) {
                            hungUp.computeIfAbsent(flow, f -> new HashMap<>()).merge(e.node(), 1L, Long::sum);
                        }
                    }
                }
                default -> {
                    // other events are not part of the funnel
                }
            }
        }
        Map<String, Flow> out = new TreeMap<>();
        for (Map.Entry<String, Long> f : entered.entrySet()) {
            String flow = f.getKey();
            Map<String, Long> oc = outcomes.getOrDefault(flow, Map.of());
            long self = oc.getOrDefault("SELF_SERVED", 0L);
            List<Step> steps = reached.getOrDefault(flow, Map.of()).entrySet().stream()
                    .map(n -> new Step(n.getKey(), n.getValue().size(),
                            hungUp.getOrDefault(flow, Map.of()).getOrDefault(n.getKey(), 0L)))
                    .toList();
            out.put(flow, new Flow(flow, f.getValue(), self, f.getValue() == 0 ? null : (double) self / f.getValue(),
                    Map.copyOf(oc), steps));
        }
        return out;
    }

    /** Whether an event type is one the funnel reads. */
    public static boolean reads(JournalEvent.Type type) {
        return type == JournalEvent.Type.CALL_ENTERED || type == JournalEvent.Type.CALL_NODE || type == JournalEvent.Type.CALL_ENDED;
    }
}
