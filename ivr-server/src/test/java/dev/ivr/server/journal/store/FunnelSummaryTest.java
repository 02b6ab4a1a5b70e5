package dev.ivr.server.journal.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What one call adds to the funnel summary ({@link FunnelSummary#call}) and what a batch changes ({@link FunnelSummary#diff}). */
class FunnelSummaryTest {
    private static final Instant T = Instant.parse("2026-03-02T09:14:00Z");
    private static final long Q = JournalSummary.quarter(T);

    private static FunnelSummary.Ev ev(long seq, int seconds, String type, String flow, String node, String detail) {
        return new FunnelSummary.Ev(seq, "e" + seq, T.plusSeconds(seconds), type, flow, node, detail);
    }

    private static long micros(int seconds) {
        return T.plusSeconds(seconds).getEpochSecond() * 1_000_000;
    }

    /** A call over the 09:15 edge: entered and menu before it, pin and the hang-up there after it. */
    private static List<FunnelSummary.Ev> overTheEdge() {
        return List.of(ev(1, 0, "CALL_ENTERED", "main", null, null), ev(2, 30, "CALL_NODE", "main", "menu", null),
                ev(3, 120, "CALL_NODE", "main", "pin", null), ev(4, 150, "CALL_QUEUED", null, null, null),
                ev(5, 180, "CALL_ENDED", "main", "pin", "ABANDONED_IN_IVR"));
    }

    @Test
    void aCallOverAQuarterEdgeHasRowsForPeriodsStartingInEitherQuarter() {
        Map<FunnelSummary.Key, long[]> rows = new TreeMap<>();
        FunnelSummary.call(overTheEdge(), rows);
        long none = FunnelSummary.NONE;
        assertThat(rows).hasSize(4);
        // a period from 09:00 (or earlier): entered main, menu in the first quarter, pin and its hang-up in the next
        assertThat(rows.get(new FunnelSummary.Key(Q, "main", "", Q, -1))).containsExactly(1, 0, 0, none, none);
        assertThat(rows.get(new FunnelSummary.Key(Q, "main", "menu", Q, -1))).containsExactly(0, 1, 0, micros(30), 2);
        assertThat(rows.get(new FunnelSummary.Key(Q, "main", "pin", Q + 1, -1))).containsExactly(0, 1, 1, micros(120), 3);
        // a period from 09:15: no entry, pin and the hang-up for the node event's own flow
        assertThat(rows.get(new FunnelSummary.Key(Q + 1, "main", "pin", Q + 1, Q))).containsExactly(0, 1, 1, micros(120), 3);
    }

    @Test
    void aLoopReachesANodeOnceAndALateEntryMovesTheCallsNodesToItsFlow() {
        Map<FunnelSummary.Key, long[]> rows = new TreeMap<>();
        FunnelSummary.call(List.of(ev(1, 0, "CALL_ENTERED", "main", null, null), ev(2, 1, "CALL_NODE", "main", "menu", null),
                ev(3, 2, "CALL_NODE", "other", "menu", null), ev(4, 3, "CALL_NODE", "main", "menu", null)), rows);
        // the second flow's node counts for main, the flow the call entered; menu reached once
        assertThat(rows).containsOnlyKeys(new FunnelSummary.Key(Q, "main", "", Q, -1),
                new FunnelSummary.Key(Q, "main", "menu", Q, -1));
        assertThat(rows.get(new FunnelSummary.Key(Q, "main", "menu", Q, -1))[FunnelSummary.REACHED]).isEqualTo(1);
    }

    @Test
    void aReplayedBatchChangesNothingAndALateEventOnlyItsPart() {
        Map<FunnelSummary.Key, long[]> all = new HashMap<>();
        FunnelSummary.call(overTheEdge(), all);
        Map<FunnelSummary.Key, long[]> delta = new TreeMap<>();
        FunnelSummary.diff(all, all, delta);
        assertThat(delta).isEmpty();
        // the hang-up arrives last: only the two pin rows change, by one hang-up each
        Map<FunnelSummary.Key, long[]> before = new HashMap<>();
        FunnelSummary.call(overTheEdge().subList(0, 4), before);
        FunnelSummary.diff(all, before, delta);
        assertThat(delta).containsOnlyKeys(new FunnelSummary.Key(Q, "main", "pin", Q + 1, -1),
                new FunnelSummary.Key(Q + 1, "main", "pin", Q + 1, Q));
        assertThat(delta.values()).allSatisfy(d -> assertThat(d).containsExactly(0, 0, 1, FunnelSummary.NONE,
                FunnelSummary.NONE));
    }
}
