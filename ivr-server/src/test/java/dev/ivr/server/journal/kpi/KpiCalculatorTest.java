package dev.ivr.server.journal.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every KPI of {@link ScriptedDay}'s hour against figures worked out by hand (in the comments). */
class KpiCalculatorTest {
    private final KpiCalculator calc = new KpiCalculator(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5)));
    private final KpiCalculator.Result r = calc.compute(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO);

    @Test
    void billingQueue() {
        QueueKpis b = r.queues().get("billing");
        assertThat(b.offered()).isEqualTo(6); // c1 c2 c3 c5 c6 c8 (c9 is at 10:00, the next hour)
        assertThat(b.answered()).isEqualTo(2); // c1 c5
        assertThat(b.answeredInTime()).isEqualTo(2); // 15 s and 12 s <= 20 s
        assertThat(b.abandoned()).isEqualTo(2);
        assertThat(b.shortAbandoned()).isEqualTo(1); // c2 after 3 s < 5 s
        assertThat(b.serviceLevel()).isCloseTo(2.0 / 3, within(1e-9)); // 2 / (2 + 2 - 1)
        assertThat(b.abandonRate()).isCloseTo(0.2, within(1e-9)); // (2 - 1) / (6 - 1)
        assertThat(b.asaMs()).isEqualTo(13_500); // (15 + 12) / 2
        assertThat(b.averageWaitMs()).isEqualTo(17_500); // (15 + 12 + 3 + 40) / 4
        assertThat(b.longestWaitMs()).isEqualTo(40_000);
        assertThat(b.callbacks()).isEqualTo(1);
        assertThat(b.transferred()).isZero();
        assertThat(b.handled()).isEqualTo(2);
        assertThat(b.talkMs()).isEqualTo(840_000); // 240 + 600
        assertThat(b.wrapUpMs()).isEqualTo(180_000); // 60 + 120
        assertThat(b.ahtMs()).isEqualTo(510_000); // (240 + 60 + 600 + 120) / 2
    }

    @Test
    void salesQueue() {
        QueueKpis s = r.queues().get("sales");
        assertThat(s.offered()).isEqualTo(1);
        assertThat(s.answered()).isEqualTo(1);
        assertThat(s.answeredInTime()).isZero(); // 35 s > 20 s
        assertThat(s.serviceLevel()).isEqualTo(0.0);
        assertThat(s.abandonRate()).isEqualTo(0.0);
        assertThat(s.asaMs()).isEqualTo(35_000);
        assertThat(s.ahtMs()).isEqualTo(600_000); // 600 s talk, no wrap-up
    }

    @Test
    void theWholeCenter() {
        QueueKpis c = r.center();
        assertThat(c.offered()).isEqualTo(7);
        assertThat(c.answered()).isEqualTo(3);
        assertThat(c.abandoned()).isEqualTo(2);
        assertThat(c.transferred()).isEqualTo(1); // c7, from its flow
        assertThat(c.serviceLevel()).isCloseTo(0.5, within(1e-9)); // 2 / (3 + 2 - 1)
        assertThat(c.abandonRate()).isCloseTo(1.0 / 6, within(1e-9)); // (2 - 1) / (7 - 1)
        assertThat(c.asaMs()).isEqualTo(20_667); // (15 + 35 + 12) / 3
        assertThat(c.averageWaitMs()).isEqualTo(21_000); // (15 + 3 + 40 + 35 + 12) / 5
        assertThat(c.longestWaitMs()).isEqualTo(40_000);
        assertThat(c.ahtMs()).isEqualTo(540_000); // (300 + 600 + 720) / 3
    }

    @Test
    void agentA1() {
        AgentKpis a = r.agents().get("a1");
        assertThat(a.handled()).isEqualTo(2);
        assertThat(a.talkMs()).isEqualTo(840_000);
        assertThat(a.wrapUpMs()).isEqualTo(60_000);
        // talk + hold + wrap-up with the 90 s hold inside the talk (answer to end): counted once
        assertThat(a.holdMs()).isEqualTo(90_000);
        assertThat(a.ahtMs()).isEqualTo(450_000); // (240 + 600 + 60) / 2
        // signed in before 09:00: only 09:00-09:55 counts; NOT_READY 08:55-09:00 is outside
        assertThat(a.stateMs()).isEqualTo(Map.of("READY", 2_390_000L, "RESERVED", 10_000L, "ON_CALL", 840_000L,
                "WRAP_UP", 60_000L));
        assertThat(a.signedInMs()).isEqualTo(3_300_000);
        assertThat(a.occupancy()).isCloseTo(910.0 / 3300, within(1e-9));
        assertThat(a.utilization()).isCloseTo(910.0 / 3300, within(1e-9));
        assertThat(a.ringNoAnswer()).isZero();
    }

    @Test
    void agentA2() {
        AgentKpis a = r.agents().get("a2");
        assertThat(a.handled()).isEqualTo(1);
        assertThat(a.ringNoAnswer()).isEqualTo(1);
        assertThat(a.holdMs()).isEqualTo(192_000); // closed when the talk ended on hold
        assertThat(a.ahtMs()).isEqualTo(720_000); // 600 talk (of which 192 on hold) + 120 wrap-up
        assertThat(a.stateMs()).isEqualTo(Map.of("NOT_READY", 610_000L, "READY", 1_653_000L, "RESERVED", 17_000L,
                "ON_CALL", 600_000L, "WRAP_UP", 120_000L));
        assertThat(a.reasonMs()).isEqualTo(Map.of("login", 600_000L, "no-answer", 10_000L));
        assertThat(a.signedInMs()).isEqualTo(3_000_000);
        assertThat(a.occupancy()).isCloseTo(737.0 / 2390, within(1e-9));
        assertThat(a.utilization()).isCloseTo(737.0 / 3000, within(1e-9));
    }

    @Test
    void theOrderEventsArriveInDoesNotMatter() {
        List<dev.ivr.server.journal.JournalEvent> shuffled = new ArrayList<>(ScriptedDay.events());
        Collections.reverse(shuffled);
        // events of one instant keep their relative order when sorted; reversed, same-instant pairs swap, so
        // compare only call figures, which do not depend on it
        KpiCalculator.Result again = calc.compute(shuffled, ScriptedDay.FROM, ScriptedDay.TO);
        assertThat(again.queues().get("billing").serviceLevel()).isEqualTo(r.queues().get("billing").serviceLevel());
        assertThat(again.center().offered()).isEqualTo(7);
    }

    @Test
    void withoutTheShortAbandonRuleEveryAbandonCounts() {
        KpiCalculator strict = new KpiCalculator(new KpiRules(Duration.ofSeconds(20), Duration.ZERO));
        QueueKpis b = strict.compute(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO).queues().get("billing");
        assertThat(b.shortAbandoned()).isZero();
        assertThat(b.serviceLevel()).isCloseTo(0.5, within(1e-9)); // 2 / (2 + 2)
        assertThat(b.abandonRate()).isCloseTo(2.0 / 6, within(1e-9));
    }

    @Test
    void anEmptyPeriodHasNoRates() {
        KpiCalculator.Result empty = calc.compute(List.of(), ScriptedDay.FROM, ScriptedDay.TO);
        assertThat(empty.center().serviceLevel()).isNull();
        assertThat(empty.center().asaMs()).isNull();
        assertThat(empty.center().ahtMs()).isNull();
        assertThat(empty.queues()).isEmpty();
    }

    @Test
    void halfHourIntervalsSplitCallsAndAgentTimeAndAddUpToTheHour() {
        List<KpiCalculator.Result> halves = calc.compute(ScriptedDay.events(), ScriptedDay.FROM, ScriptedDay.TO,
                Intervals.parse("30m", java.time.ZoneOffset.UTC));
        assertThat(halves).hasSize(2);
        assertThat(halves.get(0).queues().get("billing").offered()).isEqualTo(3); // c1 c2 c3
        assertThat(halves.get(1).queues().get("billing").offered()).isEqualTo(3); // c5 c6 c8
        // c4's talk, 09:21:35-09:31:35, ended in the second half: handled there, its time split 505 s + 95 s
        assertThat(halves.get(0).queues().get("sales").handled()).isZero();
        assertThat(halves.get(1).queues().get("sales").handled()).isEqualTo(1);
        assertThat(halves.get(1).queues().get("sales").ahtMs()).isEqualTo(600_000);
        assertThat(halves.get(0).agents().get("a1").stateMs().get("ON_CALL")).isEqualTo(240_000 + 505_000);
        assertThat(halves.get(1).agents().get("a1").stateMs().get("ON_CALL")).isEqualTo(95_000);
        // a hold counts in the interval it ended in (09:25:30), the talk around it in the one the talk ended in
        assertThat(halves.get(0).agents().get("a1").holdMs()).isEqualTo(90_000);
        assertThat(halves.get(1).agents().get("a1").holdMs()).isZero();
        assertThat(halves.get(1).agents().get("a2").holdMs()).isEqualTo(192_000);
        for (String agent : List.of("a1", "a2")) {
            for (String state : r.agents().get(agent).stateMs().keySet()) {
                assertThat(halves.stream().mapToLong(h -> h.agents().get(agent).stateMs().getOrDefault(state, 0L)).sum())
                        .as(agent + " " + state).isEqualTo(r.agents().get(agent).stateMs().get(state));
            }
        }
        assertThat(halves.get(0).center().answered() + halves.get(1).center().answered()).isEqualTo(3);
    }

    @Test
    void calendarIntervalsStartOnTheirBoundaries() {
        java.time.ZoneId zone = java.time.ZoneId.of("Europe/Budapest");
        java.time.Instant wed = java.time.Instant.parse("2026-03-04T10:15:00Z");
        assertThat(Intervals.parse("week", zone).start(wed, wed)).isEqualTo(java.time.Instant.parse("2026-03-01T23:00:00Z"));
        assertThat(Intervals.parse("month", zone).start(wed, wed)).isEqualTo(java.time.Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(Intervals.parse("15m", zone).start(wed.plusSeconds(13 * 60), wed))
                .isEqualTo(java.time.Instant.parse("2026-03-04T10:15:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Intervals.parse("7m", zone))
                .hasMessageContaining("15m, 30m, 60m, day, week, month");
    }

    @Test
    void csatPerQueueAndAgentFromPostCallSurveys() {
        java.time.Instant t = ScriptedDay.FROM.plusSeconds(60);
        List<dev.ivr.server.journal.JournalEvent> events = List.of(
                surveyed(t, "s1", "billing", "ann", "5"), surveyed(t, "s2", "billing", "ann", "4"),
                surveyed(t, "s3", "billing", "bob", "2"), surveyed(t, "s4", "sales", "bob", "3"));
        KpiCalculator.Result s = calc.compute(events, ScriptedDay.FROM, ScriptedDay.TO);
        assertThat(s.queues().get("billing").surveys()).isEqualTo(3);
        assertThat(s.queues().get("billing").csat()).isCloseTo(2.0 / 3, within(1e-9)); // 5 and 4 of 5, 4, 2
        assertThat(s.queues().get("sales").csat()).isEqualTo(0.0);
        assertThat(s.center().surveys()).isEqualTo(4);
        assertThat(s.center().csat()).isCloseTo(0.5, within(1e-9));
        assertThat(s.agents().get("ann").csat()).isEqualTo(1.0);
        assertThat(s.agents().get("bob").surveys()).isEqualTo(2);
        assertThat(s.agents().get("bob").csat()).isEqualTo(0.0);
        assertThat(r.center().surveys()).isZero();
        assertThat(r.center().csat()).isNull(); // nothing to divide by
    }

    private static dev.ivr.server.journal.JournalEvent surveyed(java.time.Instant at, String call, String queue,
                                                                String agent, String score) {
        return dev.ivr.server.journal.JournalEvent.of(at, dev.ivr.server.journal.JournalEvent.Type.CALL_SURVEYED, call,
                "customer-service", "end-call", queue, agent, null, score, null, "ivr-1");
    }

    @Test
    void theEventsKeptForTheLiveWindowGiveTheSameFiguresAsTheWholeOnes() {
        List<dev.ivr.server.journal.JournalEvent> all = new ArrayList<>(ScriptedDay.events());
        java.time.Instant t = ScriptedDay.FROM.plusSeconds(600);
        int i = 0;
        for (dev.ivr.server.journal.JournalEvent.Type type : dev.ivr.server.journal.JournalEvent.Type.values()) {
            // every type with every field set; half of them with a queue, the others only through their call
            all.add(new dev.ivr.server.journal.JournalEvent("id-" + i, t.plusSeconds(i), type, "cx", "flow", "node",
                    i % 2 == 0 ? "billing" : null, "a1", 1_000L * i, i % 3 == 0 ? "5" : "READY", "reason", "server",
                    "customer"));
            i++;
        }
        java.util.Map<String, String> names = new java.util.HashMap<>();
        List<dev.ivr.server.journal.JournalEvent> kept = all.stream()
                .map(e -> KpiCalculator.input(e, c -> c == null ? null : new String(c),
                        n -> n == null ? null : names.computeIfAbsent(n, k -> k)))
                .toList();

        assertThat(calc.compute(kept, ScriptedDay.FROM, ScriptedDay.TO))
                .isEqualTo(calc.compute(all, ScriptedDay.FROM, ScriptedDay.TO));
        Intervals halves = new Intervals("30m", 30, java.time.ZoneOffset.UTC);
        assertThat(calc.compute(kept, ScriptedDay.FROM, ScriptedDay.TO, halves))
                .isEqualTo(calc.compute(all, ScriptedDay.FROM, ScriptedDay.TO, halves));
        assertThat(kept).allSatisfy(e -> {
            assertThat(e.id()).isNull();
            assertThat(e.flow()).isNull();
            assertThat(e.node()).isNull();
            assertThat(e.server()).isNull();
            assertThat(e.customer()).isNull();
        });
        assertThat(kept).filteredOn(e -> e.type() == dev.ivr.server.journal.JournalEvent.Type.CALL_NODE)
                .allSatisfy(e -> assertThat(e.agent()).isNull());
    }

    /**
     * An event that does not count in one window ({@link KpiCalculator#countsInOneWindow}: every type but the counted
     * and agent ones, without a queue) changes nothing in one window's figures: the live window does not keep them.
     */
    @Test
    void eventsThatDoNotCountInOneWindowChangeNothingInIt() {
        List<dev.ivr.server.journal.JournalEvent> events = ScriptedDay.events();
        List<dev.ivr.server.journal.JournalEvent> more = new ArrayList<>(events);
        int added = 0;
        for (dev.ivr.server.journal.JournalEvent.Type t : dev.ivr.server.journal.JournalEvent.Type.values()) {
            for (String call : List.of("c1", "c4", "c7", "c8", "c42")) {
                var e = dev.ivr.server.journal.JournalEvent.of(ScriptedDay.FROM.plusSeconds(1800 + added), t, call, "main",
                        "n", null, "a1", 5_000L, "READY", "r", "n1");
                if (!KpiCalculator.countsInOneWindow(e)) {
                    more.add(e);
                    added++;
                }
            }
        }
        assertThat(added).isGreaterThan(20);
        more.sort(java.util.Comparator.comparing(dev.ivr.server.journal.JournalEvent::at));
        KpiCalculator calc = new KpiCalculator(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5)));
        assertThat(calc.compute(more, ScriptedDay.FROM, ScriptedDay.TO))
                .isEqualTo(calc.compute(events, ScriptedDay.FROM, ScriptedDay.TO));
    }
}
