package dev.ivr.server.journal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.ScriptedDay;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private final Reports reports = new Reports(KpiRules.DEFAULT);

    @Test
    void theQueueReportAsCsvHasAHeaderAndOneLinePerIntervalAndQueue() {
        ReportTable t = reports.queues(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO,
                Intervals.parse("30m", ZoneOffset.UTC), null);
        String[] lines = t.csv().split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", Reports.QUEUE_COLUMNS));
        // 09:00-09:30: billing, sales, the center; 09:30-10:00: the same
        assertThat(lines).hasSize(7);
        assertThat(lines[1]).isEqualTo("2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,billing,3,1,1,2,1,0,0,50.0,50.0,15.0,19.3,40.0,300.0,1,0,,0,0,"); // no identified customer: no first-contact figures
        assertThat(lines[3]).startsWith("2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,*,4,");
        assertThat(lines[4]).isEqualTo("2026-03-02T09:30:00Z,2026-03-02T10:00:00Z,billing,3,1,1,0,0,0,1,100.0,0.0,12.0,12.0,12.0,720.0,1,0,,0,0,");
    }

    @Test
    void oneQueueOnlyAndAQueueWithoutCallsGetsEmptyFigures() {
        ReportTable t = reports.queues(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO,
                Intervals.parse("all", ZoneOffset.UTC), "sales");
        assertThat(t.maps()).singleElement().satisfies(m -> {
            assertThat(m.get("queue")).isEqualTo("sales");
            assertThat(m.get("asa_s")).hasToString("35.0");
            assertThat(m.get("service_level_pct")).hasToString("0.0");
        });
        ReportTable none = reports.queues(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO,
                Intervals.parse("all", ZoneOffset.UTC), "nobody");
        assertThat(none.maps()).singleElement().satisfies(m -> {
            assertThat(m.get("offered")).isEqualTo(0L);
            assertThat(m.get("service_level_pct")).isNull();
        });
        assertThat(none.csv().split("\r\n")[1]).contains(",nobody,0,0,0,0,0,0,0,,,,,0.0,,0");
    }

    @Test
    void theAgentReport() {
        ReportTable t = reports.agents(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO,
                Intervals.parse("60m", ZoneOffset.UTC), "a2");
        assertThat(t.maps()).singleElement().satisfies(m -> {
            assertThat(m.get("handled")).isEqualTo(1L);
            assertThat(m.get("ring_no_answer")).isEqualTo(1L);
            assertThat(m.get("aht_s")).hasToString("720.0");
            assertThat(m.get("hold_s")).hasToString("192.0");
            assertThat(m.get("not_ready_s")).hasToString("610.0");
            assertThat(m.get("signed_in_s")).hasToString("3000.0");
            assertThat(m.get("occupancy_pct")).hasToString("30.8"); // 737 / 2390
        });
        assertThat(t.text()).contains("agent").contains("a2");
    }

    @Test
    void containmentAndTheDropOffFunnel() {
        Instant t = Instant.parse("2026-03-02T09:00:00Z");
        List<JournalEvent> e = new ArrayList<>();
        // 4 calls in "main": welcome -> menu -> (balance: self-served | queue: routed); one hangs up in the menu,
        // one at the welcome
        call(e, t, "k1", List.of("welcome", "menu", "balance"), "SELF_SERVED");
        call(e, t, "k2", List.of("welcome", "menu", "balance"), "SELF_SERVED");
        call(e, t, "k3", List.of("welcome", "menu"), "ABANDONED_IN_IVR");
        call(e, t, "k4", List.of("welcome"), "ABANDONED_IN_IVR");
        call(e, t, "k5", List.of("welcome", "menu", "agent"), "ROUTED");
        ReportTable flows = reports.flows(e, t, t.plusSeconds(3600), Intervals.parse("all", ZoneOffset.UTC), null);
        assertThat(flows.csv()).isEqualTo("interval_start,interval_end,flow,entered,self_served,containment_pct\r\n"
                + "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,main,5,2,40.0\r\n");
        // per quarter hour: the calls that entered 09:20 (k6 self-served, k7 hung up at the welcome) on their own
        call(e, t.plusSeconds(1200), "k6", List.of("welcome", "menu", "balance"), "SELF_SERVED");
        call(e, t.plusSeconds(1250), "k7", List.of("welcome"), "ABANDONED_IN_IVR");
        assertThat(reports.flows(e, t, t.plusSeconds(3600), Intervals.parse("15m", ZoneOffset.UTC), "main").csv())
                .isEqualTo("interval_start,interval_end,flow,entered,self_served,containment_pct\r\n"
                        + "2026-03-02T09:00:00Z,2026-03-02T09:15:00Z,main,5,2,40.0\r\n"
                        + "2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,main,2,1,50.0\r\n");
        assertThat(reports.flows(e, t, t.plusSeconds(3600), Intervals.parse("15m", ZoneOffset.UTC), "other").rows()).isEmpty();
        e.removeIf(x -> x.callId().equals("k6") || x.callId().equals("k7"));
        ReportTable funnel = reports.funnel(e, "main");
        assertThat(funnel.csv()).isEqualTo("""
                flow,node,reached,hung_up,reached_pct\r
                main,welcome,5,1,100.0\r
                main,menu,4,1,80.0\r
                main,balance,2,0,40.0\r
                main,agent,1,0,20.0\r
                """);
    }

    private static void call(List<JournalEvent> e, Instant t, String id, List<String> nodes, String outcome) {
        e.add(JournalEvent.of(t, Type.CALL_ENTERED, id, "main", null, null, null, null, null, null, "n1"));
        for (String n : nodes) {
            e.add(JournalEvent.of(t, Type.CALL_NODE, id, "main", n, null, null, null, null, null, "n1"));
        }
        e.add(JournalEvent.of(t, Type.CALL_ENDED, id, "main", nodes.get(nodes.size() - 1), null, null, 30_000L, outcome,
                null, "n1"));
    }

    @Test
    void csvCellsAreQuotedAndNeverFormulas() {
        ReportTable t = new ReportTable(List.of("a", "b"), List.of(List.of("=HYPERLINK(\"x\")", "x,y")));
        assertThat(t.csv()).isEqualTo("a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",\"x,y\"\r\n");
    }

    @Test
    void badQueriesSayWhatIsWrong() {
        assertThatThrownBy(() -> ReportQuery.parse(null, null, null, null, null, null)).hasMessageContaining("give from");
        assertThatThrownBy(() -> ReportQuery.parse("yesterday", null, null, null, null, null))
                .hasMessageContaining("from must be a date");
        assertThatThrownBy(() -> ReportQuery.parse("2026-03-02", "2026-03-01", null, null, null, null))
                .hasMessageContaining("before");
        assertThatThrownBy(() -> ReportQuery.parse("2026-03-02", null, "7m", null, null, null)).hasMessageContaining("interval");
        assertThatThrownBy(() -> ReportQuery.parse("2026-03-02", null, null, "Mars/Olympus", null, null))
                .hasMessageContaining("time zone");
        assertThatThrownBy(() -> ReportQuery.parse("2026-03-02", null, null, null, "a'b", null)).hasMessageContaining("name");
        assertThatThrownBy(() -> ReportQuery.parse("2020-01-01", "2026-01-01", null, null, null, null))
                .hasMessageContaining("400 days");
        ReportQuery q = ReportQuery.parse("2026-03-02", null, "day", "Europe/Budapest", null, "CSV");
        assertThat(q.from()).isEqualTo(Instant.parse("2026-03-01T23:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2026-03-02T23:00:00Z"));
        assertThat(q.format()).isEqualTo("csv");
        assertThat(q.previous().from()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
    }
}
