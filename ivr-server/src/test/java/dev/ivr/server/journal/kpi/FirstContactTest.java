package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * First-contact resolution (7-day window) on scripted calls of 2026-03-02, worked out by hand:
 * <pre>
 * alice  09:00 billing  again 03-09 08:59:59 (just inside 7 days)  → not resolved
 * bob    10:00 sales    again 03-09 10:00:01 (just outside)          → resolved
 * carol  11:00 billing  again 11:30 the same day                     → not resolved
 * carol  11:30 billing  never again                                  → resolved
 * dave   12:00 (self-served, no queue)                                → resolved, in the center only
 * erin   13:00 sales    again exactly 7 days later (within)          → not resolved
 * frank  01:00 billing  (his call of 03-01 23:00 is before the period) → resolved
 * an unknown caller at 14:00 in billing                              → left out
 * </pre>
 * center 7 calls, 4 resolved (57.1%); billing 4 calls (alice, carol ×2, frank), 2 resolved (50.0%); sales 2, 1 (50.0%).
 */
public class FirstContactTest {
    public static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    public static final Instant TO = Instant.parse("2026-03-03T00:00:00Z");

    /** The scripted ended calls (and one agent-less unknown caller). */
    public static List<JournalEvent> calls() {
        List<JournalEvent> e = new ArrayList<>();
        ended(e, "2026-03-02T09:00:00Z", "alice", "billing");
        ended(e, "2026-03-09T08:59:59Z", "alice", "billing");
        ended(e, "2026-03-02T10:00:00Z", "bob", "sales");
        ended(e, "2026-03-09T10:00:01Z", "bob", "sales");
        ended(e, "2026-03-02T11:00:00Z", "carol", "billing");
        ended(e, "2026-03-02T11:30:00Z", "carol", "billing");
        ended(e, "2026-03-02T12:00:00Z", "dave", null);
        ended(e, "2026-03-02T13:00:00Z", "erin", "sales");
        ended(e, "2026-03-09T13:00:00Z", "erin", "sales");
        ended(e, "2026-03-01T23:00:00Z", "frank", "billing");
        ended(e, "2026-03-02T01:00:00Z", "frank", "billing");
        ended(e, "2026-03-02T14:00:00Z", null, "billing");
        return e;
    }

    private static void ended(List<JournalEvent> e, String at, String customer, String queue) {
        e.add(JournalEvent.of(Instant.parse(at), JournalEvent.Type.CALL_ENDED, "call-" + e.size(), "main", "end", queue,
                null, 60_000L, "ROUTED", null, "n1").withCustomer(customer));
    }

    /** The report's first-contact columns are the hand-worked figures. */
    public static void assertHandWorked(ReportTable t) {
        Map<String, List<Object>> byQueue = new java.util.HashMap<>();
        int q = t.columns().indexOf("queue");
        t.rows().forEach(r -> byQueue.put((String) r.get(q), r));
        assertFcr(t, byQueue.get("*"), 7, 4, "57.1");
        assertFcr(t, byQueue.get("billing"), 4, 2, "50.0");
        assertFcr(t, byQueue.get("sales"), 2, 1, "50.0");
    }

    private static void assertFcr(ReportTable t, List<Object> row, long calls, long resolved, String pct) {
        assertThat(row).isNotNull();
        assertThat(row.get(t.columns().indexOf("fcr_calls"))).isEqualTo(calls);
        assertThat(row.get(t.columns().indexOf("fcr_resolved"))).isEqualTo(resolved);
        assertThat(row.get(t.columns().indexOf("fcr_pct"))).isEqualTo(new BigDecimal(pct));
    }

    @Test
    void theScriptedCallsAsWorkedOutByHand() {
        Map<Instant, Map<String, FirstContact>> r = FirstContact.compute(calls(), FROM, TO,
                Intervals.parse("day", ZoneOffset.UTC), Duration.ofDays(7));
        Map<String, FirstContact> day = r.get(FROM);
        assertThat(day.get(QueueKpis.ALL)).isEqualTo(new FirstContact(7, 4));
        assertThat(day.get("billing")).isEqualTo(new FirstContact(4, 2));
        assertThat(day.get("sales")).isEqualTo(new FirstContact(2, 1));
        assertThat(day.get(QueueKpis.ALL).rate()).isEqualTo(4.0 / 7);
    }

    @Test
    void inTheQueueReportAndItsCsv() {
        ReportTable t = new Reports(KpiRules.DEFAULT, Duration.ofDays(7)).queues(calls(), FROM, TO,
                Intervals.parse("day", ZoneOffset.UTC), null);
        assertHandWorked(t);
        assertThat(t.csv()).startsWith(String.join(",", Reports.QUEUE_COLUMNS) + "\r\n")
                .contains(",billing,0,0,0,0,0,0,0,,,,,0.0,,0,0,,4,2,50.0\r\n");
    }

    @Test
    void perHourEachCallCountsInTheHourItEnded() {
        Map<Instant, Map<String, FirstContact>> r = FirstContact.compute(calls(), FROM, TO,
                Intervals.parse("60m", ZoneOffset.UTC), Duration.ofDays(7));
        assertThat(r).hasSize(24);
        assertThat(r.get(Instant.parse("2026-03-02T11:00:00Z")).get("billing")).isEqualTo(new FirstContact(2, 1));
        assertThat(r.get(Instant.parse("2026-03-02T14:00:00Z"))).isEmpty(); // the unknown caller
    }

    @Test
    void aShorterWindowResolvesMore() {
        Map<Instant, Map<String, FirstContact>> r = FirstContact.compute(calls(), FROM, TO,
                Intervals.parse("all", ZoneOffset.UTC), Duration.ofMinutes(29));
        assertThat(r.get(FROM).get(QueueKpis.ALL)).isEqualTo(new FirstContact(7, 7));
    }
}
