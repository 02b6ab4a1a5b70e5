import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * sf22: what the live KPI window (journal.store.LiveKpis, reports.live-window 1 h, refreshed every 5 s) holds and
 * what one refresh's computation costs after MINUTES of the simple flow at CALLS_PER_S new calls a second (8 events a
 * call: entry, six nodes, end; no queue), as main keeps them (every event, KpiCalculator.input) and as sf22 keeps them
 * (only those KpiCalculator.countsInOneWindow: none of these). Live bytes from the heap used after System.gc().
 * Run: java -Xmx4g -cp "ivr-server/target/classes:ivr-server/target/lib/*" docs/benchmarks/r22-sf22/LiveWindowProbe.java [MINUTES] [CALLS_PER_S]
 */
public class LiveWindowProbe {
    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 124;
        Instant start = Instant.parse("2026-12-06T10:00:00Z");
        Instant now = start.plus(Duration.ofMinutes(minutes));
        KpiCalculator calc = new KpiCalculator(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5)));
        for (boolean filtered : new boolean[] {false, true, false, true}) {
            long before = used();
            List<JournalEvent> window = new ArrayList<>();
            long calls = (long) minutes * 60 * rate;
            for (long i = 0; i < calls; i++) {
                Instant in = start.plusMillis(i * 1000 / rate);
                String id = UUID.randomUUID().toString(); // one string per call, as a refresh shares a call's id
                add(window, filtered, JournalEvent.of(in, JournalEvent.Type.CALL_ENTERED, id, "simple", null, null, null, null, null, null, "n1"), id);
                for (int n = 1; n <= 6; n++) {
                    add(window, filtered, JournalEvent.of(in.plusMillis(n * 1500L), JournalEvent.Type.CALL_NODE, id, "simple", "node" + n,
                            null, null, null, null, null, "n1"), id);
                }
                add(window, filtered, JournalEvent.of(in.plusMillis(13_000), JournalEvent.Type.CALL_ENDED, id, "simple", null, null, null,
                        13_000L, "self-served", null, "n1"), id);
            }
            long held = used() - before;
            long cpu0 = cpu();
            int refreshes = 5;
            for (int r = 0; r < refreshes; r++) {
                calc.compute(window, now.minus(Duration.ofHours(1)), now); // as LiveKpis.refresh: the list copied, sorted, walked
            }
            double ms = (cpu() - cpu0) / 1e6 / refreshes;
            System.out.printf("%s: %,d calls in the window, %,d events held, %.1f MB live, compute %.1f ms CPU per refresh (%.2f%% of a CPU every 5 s)%n",
                    filtered ? "sf22" : "main", calls, window.size(), held / 1e6, ms, ms / 50);
            window = null;
        }
    }

    private static void add(List<JournalEvent> window, boolean filtered, JournalEvent e, String id) {
        if (!filtered || KpiCalculator.countsInOneWindow(e)) {
            window.add(KpiCalculator.input(e, c -> id, s -> s == null ? null : s.intern()));
        }
    }

    private static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long cpu() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime();
    }
}
