package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.KpiRules;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal writer's kept lines ({@link CallLines}): the same event stream written through the kept lines and
 * through the database's read gives the same flow and funnel summary rows, row by row; out-of-order times (over
 * quarter edges, sub-microsecond parts that H2 rounds), a replayed batch, a resumed call, a rolled-back batch and
 * evicted lines among them. After each committed batch every kept line is the database's line of the call.
 */
class CallLinesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:13:59.999999500Z");
    @TempDir
    Path tmp;
    private Database read;
    private Database cachedDb;
    private JournalSummary plain;
    private JournalSummary cached;
    private CallLines lines;

    @BeforeEach
    void open() {
        read = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("read"));
        cachedDb = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("cached"));
        assertThat(read.awaitReady(Duration.ofSeconds(30))).isTrue();
        assertThat(cachedDb.awaitReady(Duration.ofSeconds(30))).isTrue();
        plain = new JournalSummary(read.dialect(), KpiRules.DEFAULT, Duration.ofDays(7));
    }

    @AfterEach
    void close() {
        read.close();
        cachedDb.close();
    }

    private void keep(CallLines l) {
        lines = l;
        cached = new JournalSummary(cachedDb.dialect(), KpiRules.DEFAULT, Duration.ofDays(7)).withCallLines(l);
    }

    private static JournalEvent ev(String id, Instant at, Type type, String call, String flow, String node, String detail) {
        return new JournalEvent(id, at, type, call, flow, node, null, null, null, detail, null, "s1");
    }

    /** Writes the batch into both databases, each in a transaction that commits or ({@code rollBack}) rolls back. */
    private void write(List<JournalEvent> batch, boolean rollBack) throws SQLException {
        for (boolean keeps : new boolean[] {false, true}) {
            Database db = keeps ? cachedDb : read;
            JournalSummary s = keeps ? cached : plain;
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                s.write(c, batch);
                if (rollBack) {
                    c.rollback();
                    s.rolledBack();
                } else {
                    c.commit();
                    s.committed();
                }
            }
        }
        if (!rollBack) {
            linesAreTheDatabases();
        }
    }

    /** Every kept line is what the funnel summary reads from the database for the call. */
    private void linesAreTheDatabases() throws SQLException {
        Set<String> calls = new TreeSet<>();
        for (int i = 0; i < 400; i++) {
            calls.add("c" + i);
        }
        calls.addAll(List.of("a", "b", "r", "x"));
        try (Connection c = cachedDb.dataSource().getConnection()) {
            Map<String, List<FunnelSummary.Ev>> db = FunnelSummary.lines(c, calls);
            for (String call : calls) {
                if (lines.has(call)) {
                    assertThat(strip(lines.funnel(call, true))).as(call).isEqualTo(strip(db.get(call)));
                }
            }
        }
    }

    /** The rows without the event id (the kept line has none) and the detail as the summaries tell it apart. */
    private static List<String> strip(List<FunnelSummary.Ev> line) {
        List<String> out = new ArrayList<>();
        for (FunnelSummary.Ev e : line) {
            String d = "resumed".equals(e.detail()) || FunnelSummary.HUNG_UP.equals(e.detail()) ? e.detail() : "-";
            String node = "CALL_NODE".equals(e.type()) || FunnelSummary.HUNG_UP.equals(e.detail()) ? e.node() : null;
            out.add(e.seq() + "|" + e.at() + "|" + e.type() + "|" + e.flow() + "|" + node + "|" + d);
        }
        return out;
    }

    private void sameRows() throws SQLException {
        try (Connection a = read.dataSource().getConnection(); Connection b = cachedDb.dataSource().getConnection()) {
            assertThat(text(FunnelSummary.rows(b))).isEqualTo(text(FunnelSummary.rows(a)));
            assertThat(text(FlowSummary.rows(b))).isEqualTo(text(FlowSummary.rows(a)));
            assertThat(FunnelSummary.rows(a)).isNotEmpty();
        }
    }

    private static List<String> text(Map<?, long[]> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(k + "=" + Arrays.toString(v)));
        return out;
    }

    @Test
    void theCasesOneByOneGiveTheSameRowsAsTheRead() throws SQLException {
        keep(new CallLines(2, 1_000, 100, Long.MAX_VALUE));
        Instant t = T0;
        // call a: entered, then nodes, one earlier than the one before (over the 10:15 edge), half-microsecond times
        List<JournalEvent> b1 = List.of(ev("a1", t, Type.CALL_ENTERED, "a", "main", null, null),
                ev("a2", t.plusNanos(500), Type.CALL_NODE, "a", "main", "menu", null),
                ev("b1", t, Type.CALL_ENTERED, "b", "main", null, "resumed"),
                ev("b2", t.plusNanos(499), Type.CALL_NODE, "b", "main", "menu", null));
        write(b1, false);
        assertThat(lines.has("a")).isTrue();
        assertThat(lines.has("b")).isFalse(); // resumed: read from the database
        List<JournalEvent> b2 = List.of(ev("a3", t.plusSeconds(120), Type.CALL_NODE, "a", "main", "pin", null),
                ev("a4", t.minusSeconds(5), Type.CALL_NODE, "a", "other", "late", null),
                ev("b3", t.plusSeconds(60), Type.CALL_NODE, "b", "main", "pin", null));
        write(b2, false);
        // the same batch again (its acknowledgement lost): nothing new, nothing added to the line
        write(b2, false);
        // a batch rolled back, then written again
        List<JournalEvent> b3 = List.of(ev("a5", t.plusSeconds(130), Type.CALL_NODE, "a", "main", "card", null),
                ev("q1", t.plusSeconds(131), Type.CALL_QUEUED, "a", null, null, null));
        write(b3, true);
        assertThat(lines.has("a")).isFalse();
        write(b3, false);
        // a new entry after the line was dropped: the line is made again from the read
        write(List.of(ev("a6", t.plusSeconds(140), Type.CALL_ENTERED, "a", "second", null, null)), false);
        assertThat(lines.has("a")).isTrue();
        // a batch without node events for a kept call (its rows numbered all the same)
        write(List.of(ev("a7", t.plusSeconds(150), Type.CALL_ENDED, "a", "second", "card", FunnelSummary.HUNG_UP),
                ev("x1", t.plusSeconds(150), Type.CALL_ENTERED, "x", "main", null, null)), false);
        assertThat(lines.has("a")).isFalse(); // ended
        // three more calls than two lines: one evicted
        List<JournalEvent> b4 = new ArrayList<>();
        for (String c : List.of("c1", "c2", "c3")) {
            b4.add(ev(c + "e", t.plusSeconds(200), Type.CALL_ENTERED, c, "main", null, null));
        }
        write(b4, false);
        assertThat(lines.size()).isEqualTo(2);
        List<JournalEvent> b5 = new ArrayList<>();
        for (String c : List.of("c1", "c2", "c3", "x")) {
            b5.add(ev(c + "n", t.plusSeconds(210), Type.CALL_NODE, c, "main", "menu", null));
            b5.add(ev(c + "z", t.plusSeconds(220), Type.CALL_ENDED, c, "main", "menu", FlowSummary.SELF_SERVED));
        }
        write(b5, false);
        write(List.of(ev("b4", t.plusSeconds(300), Type.CALL_ENDED, "b", "main", "pin", FlowSummary.SELF_SERVED)), false);
        sameRows();
        assertThat(lines.counts()[0]).isPositive();
        assertThat(lines.size()).isZero();
    }

    @Test
    void theServersWriterKeepsTheLinesAndDropsThoseOfABatchThatRolledBack() throws SQLException {
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        try (JdbcJournal journal = new JdbcJournal(cachedDb.dataSource(), cachedDb.dialect(), cachedDb::isReady,
                tmp.resolve("outbox"), Duration.ofHours(1), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                true)) {
            journal.addBatchHook((c, batch) -> {
                if (fail.getAndSet(false)) {
                    throw new SQLException("the batch fails (test)", "08006");
                }
            });
            lines = journal.callLines();
            for (int step = 0; step < 4; step++) {
                for (int i = 0; i < 20; i++) {
                    String call = "c" + i;
                    Instant at = T0.plusSeconds(step * 200L + i);
                    if (step == 0) {
                        journal.emit(ev(call + "e", at, Type.CALL_ENTERED, call, "main", null, null));
                    }
                    journal.emit(ev(call + "n" + step, at.plusNanos(500), Type.CALL_NODE, call, "main", "n" + step, null));
                    if (step == 3) {
                        journal.emit(ev(call + "z", at.plusSeconds(1), Type.CALL_ENDED, call, "main", "n3",
                                i % 2 == 0 ? FlowSummary.SELF_SERVED : FunnelSummary.HUNG_UP));
                    }
                }
                long hits = lines.counts()[0];
                if (step == 2) {
                    assertThat(hits).isPositive(); // step 1's batch read the kept lines
                    fail.set(true);
                    assertThat(journal.flush()).isFalse();
                    assertThat(lines.size()).isZero(); // the lines the failed batch touched are gone
                }
                assertThat(journal.flush()).isTrue();
                if (step < 3) {
                    linesAreTheDatabases();
                }
            }
        }
        assertThat(lines.counts()[0]).isPositive();
        assertThat(lines.size()).isZero();
        try (Connection c = cachedDb.dataSource().getConnection()) {
            List<String> funnel = text(FunnelSummary.rows(c));
            List<String> flow = text(FlowSummary.rows(c));
            c.setAutoCommit(false);
            FunnelSummary.rebuild(c);
            FlowSummary.rebuild(c);
            assertThat(text(FunnelSummary.rows(c))).isEqualTo(funnel);
            assertThat(text(FlowSummary.rows(c))).isEqualTo(flow);
            c.rollback();
        }
    }

    @Test
    void aRandomStreamGivesTheSameRowsAsTheRead() throws SQLException {
        keep(new CallLines(30, 400, 25, Long.MAX_VALUE));
        Random r = new Random(16);
        List<JournalEvent> all = new ArrayList<>();
        Map<String, Integer> n = new HashMap<>();
        String[] flows = {"main", "sales", "x".repeat(230)};
        String[] nodes = {"menu", "pin", "card", "agent", "n".repeat(210)};
        for (int i = 0; i < 1_500; i++) {
            String call = "c" + r.nextInt(60);
            int k = n.merge(call, 1, Integer::sum);
            Instant at = T0.plusSeconds(i / 3).plusNanos(r.nextInt(3) * 500L - (r.nextInt(10) == 0 ? 20_000_000_000L : 0));
            String flow = flows[r.nextInt(flows.length)];
            JournalEvent e;
            int what = r.nextInt(20);
            if (k == 1 || what == 0) {
                e = ev(call + "-" + k, at, Type.CALL_ENTERED, call, r.nextInt(8) == 0 ? null : flow, null,
                        r.nextInt(6) == 0 ? "resumed" : null);
            } else if (what == 1) {
                e = ev(call + "-" + k, at, Type.CALL_ENDED, call, flow, nodes[r.nextInt(nodes.length)],
                        List.of(FlowSummary.SELF_SERVED, FunnelSummary.HUNG_UP, "CALLER_HUNG_UP").get(r.nextInt(3)));
            } else if (what == 2) {
                e = ev(call + "-" + k, at, Type.CALL_QUEUED, call, null, null, null);
            } else {
                e = ev(call + "-" + k, at, Type.CALL_NODE, call, flow, r.nextInt(15) == 0 ? null : nodes[r.nextInt(nodes.length)],
                        null);
            }
            all.add(e);
        }
        int i = 0;
        while (i < all.size()) {
            int size = 1 + r.nextInt(40);
            List<JournalEvent> batch = new ArrayList<>(all.subList(i, Math.min(all.size(), i + size)));
            if (i > 0 && r.nextInt(6) == 0) { // a replay of an earlier stretch with it
                int from = r.nextInt(i);
                batch.addAll(all.subList(from, Math.min(i, from + 1 + r.nextInt(20))));
            }
            if (r.nextInt(8) == 0) {
                write(batch, true);
            }
            write(batch, false);
            i += size;
        }
        sameRows();
        assertThat(lines.counts()[0]).isPositive();
    }
}
