package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The campaign report's formulas against the figures of {@link ScriptedCampaigns} worked out by hand. */
class CampaignCalculatorTest {
    private static final String HEADER = "interval_start,interval_end,campaign,attempts,answered,busy,no_answer,"
            + "congestion,failed,machine,dialing,skipped,contacts,contact_rate_pct,abandoned,abandon_rate_pct,"
            + "agent_handled,average_talk_s,aht_s,opt_outs\r\n";

    private static List<CampaignCalculator.Result> compute(String interval, List<dev.ivr.server.journal.JournalEvent> events) {
        return CampaignCalculator.compute(ScriptedCampaigns.attemptList(), ScriptedCampaigns.optOuts(), events,
                Instant.parse("2026-03-02T23:00:00Z"), ScriptedCampaigns.FROM, ScriptedCampaigns.TO,
                Intervals.parse(interval, ZoneOffset.UTC));
    }

    /** The hand-worked figures, per hour (CSV as the API and the CLI give it; campaigns in name order). */
    static final String HOURLY = HEADER
            // reminder 09-10: m1 answered (no agent: agentless), m2 no answer: 1 contact of 2
            + "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,reminder,2,1,0,1,0,0,0,0,0,1,50.0,0,0.0,0,,,1\r\n"
            // renewal 09-10: attempts r1-r9 (r10 skipped, r14 before the period); answered r1, r4 (abandoned), r5
            // (machine), r9; failed r7 and r8 (node-lost); contacts 4 - 1 machine = 3 of 9 = 33.3%; abandoned 1 of
            // 4 answered = 25%; agents talked to r1 (240 s, 60 s wrap-up) and r9 (120 s): talk 360 / 2 = 180 s,
            // handle (360 + 60) / 2 = 210 s; one opt-out
            + "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,renewal,9,4,1,1,1,2,1,0,1,3,33.3,1,25.0,2,180.0,210.0,1\r\n"
            // every campaign: the sums, and the rates of the sums (4 of 11, 1 of 5)
            + "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,*,11,5,1,2,1,2,1,0,1,4,36.4,1,20.0,2,180.0,210.0,2\r\n"
            // renewal 10-11: r11 answered and talked (180 s + 60 s wrap-up), r12 still dialling, r13 answered but
            // its talk has not ended: not agent-handled; 2 contacts of 3; one opt-out (the one at 11:00 is after)
            + "2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,renewal,3,2,0,0,0,0,0,1,0,2,66.7,0,0.0,1,180.0,240.0,1\r\n"
            + "2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,*,3,2,0,0,0,0,0,1,0,2,66.7,0,0.0,1,180.0,240.0,1\r\n";

    @Test
    void everyFigurePerHourAsWorkedOutByHand() {
        ReportTable t = Reports.campaigns(compute("60m", ScriptedCampaigns.agentEvents()), null);
        assertThat(t.csv()).isEqualTo(HOURLY);
    }

    @Test
    void theWholePeriodAndOneCampaign() {
        List<CampaignCalculator.Result> all = compute("all", ScriptedCampaigns.agentEvents());
        CampaignKpis r = all.get(0).campaigns().get("renewal");
        assertThat(r.attempts()).isEqualTo(12);
        assertThat(r.answered()).isEqualTo(6);
        assertThat(r.contacts()).isEqualTo(5);
        assertThat(r.contactRate()).isEqualTo(5.0 / 12);
        assertThat(r.abandonRate()).isEqualTo(1.0 / 6);
        assertThat(r.agentHandled()).isEqualTo(3);
        assertThat(r.averageTalkMs()).isEqualTo(180_000L); // (240 + 120 + 180) / 3
        assertThat(r.ahtMs()).isEqualTo(220_000L); // (540 + 120) / 3
        assertThat(r.optOuts()).isEqualTo(2);
        ReportTable one = Reports.campaigns(all, "reminder");
        assertThat(one.maps()).singleElement().satisfies(m -> {
            assertThat(m.get("attempts")).isEqualTo(2L);
            assertThat(m.get("opt_outs")).isEqualTo(1L);
        });
        // a campaign with nothing in the period still has its row, of zeros and empty rates
        assertThat(Reports.campaigns(all, "nobody").csv()).endsWith(",nobody,0,0,0,0,0,0,0,0,0,0,,0,,0,,,0\r\n");
    }

    @Test
    void theOrderOfTheEventsDoesNotMatter() {
        List<dev.ivr.server.journal.JournalEvent> shuffled = new ArrayList<>(ScriptedCampaigns.agentEvents());
        Collections.shuffle(shuffled, new java.util.Random(7));
        assertThat(Reports.campaigns(compute("60m", shuffled), null).csv()).isEqualTo(HOURLY);
    }

    @Test
    void aWrapUpStillOpenCountsUpToTheEndOfTheEventsAndTwoAgentsOnOneCallAddUp() {
        List<dev.ivr.server.journal.JournalEvent> events = new ArrayList<>(ScriptedCampaigns.agentEvents());
        events.removeIf(e -> e.at().equals(Instant.parse("2026-03-02T10:14:10Z"))); // r11's wrap-up never ends
        var talks = CampaignCalculator.talks(events, Instant.parse("2026-03-02T10:20:00Z"));
        assertThat(talks.get("c-r11").wrapUpMs()).isEqualTo(410_000L); // 10:13:10 until a1's next event, READY 10:20
        events.add(dev.ivr.server.journal.JournalEvent.of(Instant.parse("2026-03-02T09:51:00Z"),
                dev.ivr.server.journal.JournalEvent.Type.AGENT_STATE, "c-r9", null, null, null, "ca1", null, "ON_CALL", null, "t"));
        events.add(dev.ivr.server.journal.JournalEvent.of(Instant.parse("2026-03-02T09:53:00Z"),
                dev.ivr.server.journal.JournalEvent.Type.AGENT_STATE, null, null, null, null, "ca1", null, "READY", null, "t"));
        talks = CampaignCalculator.talks(events, Instant.parse("2026-03-02T23:00:00Z"));
        assertThat(talks.get("c-r9").talkMs()).isEqualTo(240_000L); // a2 120 s + a1 (consulted) 120 s
        assertThat(talks).doesNotContainKey("c-r13"); // still talking
    }
}
