package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * First-contact resolution, estimated from the calls of identified customers: a call is resolved at first contact
 * when the same customer does not call again within the window (e.g. 7 days) after it. A call counts in the interval
 * (and the queue) it ended in; calls of unknown callers are left out. Measured between the times the calls ended
 * ({@link JournalEvent.Type#CALL_ENDED} events, which carry the customer). Pure: the events are given, and to judge the
 * calls near the period's end they must reach the window beyond it.
 *
 * @param calls    ended calls of identified customers
 * @param resolved those the customer did not call again about within the window
 */
public record FirstContact(long calls, long resolved) {
    /** No calls. */
    public static final FirstContact NONE = new FirstContact(0, 0);

    /** resolved ÷ calls, or null without calls. */
    public Double rate() {
        return QueueSums.ratio(resolved, calls);
    }

    /** Both counts added. */
    public FirstContact plus(FirstContact o) {
        return new FirstContact(calls + o.calls, resolved + o.resolved);
    }

    /**
     * Per interval start, per queue (and {@link QueueKpis#ALL} for the center; a call that was in no queue counts
     * only there): the calls that ended in {@code [from, to)} and how many of them were resolved.
     *
     * @param events journal events of {@code [from, to + window)} (only ended calls with a customer are read)
     */
    public static Map<Instant, Map<String, FirstContact>> compute(List<JournalEvent> events, Instant from, Instant to,
                                                                  Intervals intervals, Duration window) {
        List<JournalEvent> ended = new ArrayList<>();
        for (JournalEvent e : events) {
            if (e.type() == JournalEvent.Type.CALL_ENDED && e.customer() != null) {
                ended.add(e);
            }
        }
        ended.sort(Comparator.comparing(JournalEvent::at)); // stable: one instant keeps the journal's order
        Map<String, Instant> nextCall = new HashMap<>();
        Map<JournalEvent, Instant> next = new HashMap<>();
        for (int i = ended.size() - 1; i >= 0; i--) {
            JournalEvent e = ended.get(i);
            Instant n = nextCall.put(e.customer(), e.at());
            if (n != null) {
                next.put(e, n);
            }
        }
        TreeMap<Instant, Map<String, FirstContact>> out = new TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            out.put(s.isBefore(from) ? from : s, new TreeMap<>());
        }
        for (JournalEvent e : ended) {
            if (e.at().isBefore(from) || !e.at().isBefore(to)) {
                continue;
            }
            Instant again = next.get(e);
            boolean resolved = again == null || Duration.between(e.at(), again).compareTo(window) > 0;
            FirstContact one = new FirstContact(1, resolved ? 1 : 0);
            Map<String, FirstContact> bucket = out.floorEntry(e.at()).getValue();
            bucket.merge(QueueKpis.ALL, one, FirstContact::plus);
            if (e.queue() != null) {
                bucket.merge(e.queue(), one, FirstContact::plus);
            }
        }
        return out;
    }
}
