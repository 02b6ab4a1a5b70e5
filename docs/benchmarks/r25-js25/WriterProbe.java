import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.store.JdbcJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * js25 (issue 16, twenty-first round): what the journal writer's batch costs by part, through the server's own writer
 * ({@code JdbcJournal.flush}: outbox segment, the inserts into journal_events / journal_nodes, the summaries, the
 * commit) on the server's default embedded H2 file database (fresh, migrated), with the simple flow's event stream as
 * the load generator makes it at 2,000 calls: 124 new calls a second, each 16 s long with 8 events (CALL_ENTERED, six
 * CALL_NODE, CALL_ENDED SELF_SERVED), call ids "epoch.N" as the fake PBX's, about 2,000 calls open at any time; one
 * flush per 250 ms of the stream (the writer's tick), about 250 events each. Per configuration (a fresh database, then
 * DDL): the flushing thread's CPU and allocation per flush, and its writes (/proc/thread-self/io: syscw, wchar; H2's
 * chunk is one pwrite of the O_DSYNC file, the outbox's own writes are made before the flush).
 *
 * Run: java -cp "ivr-server/target/JAR:ivr-server/target/lib/*" docs/benchmarks/r25-js25/WriterProbe.java [flushes (800)] [configs] [";H2=SETTING"]
 *   configs: "each" (every index, then without each secondary index of the two tables in turn), or "main" (every index only)
 */
public class WriterProbe {
    static final String[] NODES = {"welcome", "main-menu", "enter-code", "confirm", "remember", "goodbye"};
    static final double[] AT = {0.0, 0.3, 4.0, 9.5, 12.0, 12.1, 12.2, 16.0}; // seconds into the call of its 8 events
    static final double CALLS_PER_S = 124;

    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        String mode = args.length > 1 ? args[1] : "each";
        String settings = args.length > 2 ? args[2] : ""; // added to the server's H2 URL, e.g. ";QUERY_CACHE_SIZE=32"
        List<String[]> configs = new ArrayList<>();
        configs.add(new String[]{"every index"});
        if (mode.equals("each")) {
            for (String ix : List.of("journal_events_by_time", "journal_events_by_type_time", "journal_events_by_agent",
                    "journal_events_by_customer_type", "journal_nodes_by_time")) {
                configs.add(new String[]{"without " + ix, "drop index " + ix});
            }
            configs.add(new String[]{"every index (again)"});
        }
        for (String[] cfg : configs) {
            Path dir = Files.createTempDirectory("writer-probe");
            String url = settings.isEmpty() ? "" : Database.effectiveUrl(new DatabaseConfig("", "sa", "", 3, 2,
                    Duration.ofMillis(500)), dir) + settings;
            Database db = Database.open(new DatabaseConfig(url, "sa", "", 3, 2, Duration.ofMillis(500)), dir);
            while (!db.isReady()) {
                Thread.sleep(100);
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (int i = 1; i < cfg.length; i++) {
                    s.execute(cfg[i]);
                }
            }
            JdbcJournal journal = new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, dir.resolve("outbox"),
                    Duration.ofHours(1), new SimpleMeterRegistry());
            Stream stream = new Stream();
            run(journal, stream, Math.max(400, flushes / 2), false); // warm-up: the stream reaches its 2,000 open calls
            double[] r = run(journal, stream, flushes, true);
            long rows;
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select (select count(*) from journal_events) + (select count(*) from journal_nodes)")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf(settings + "%-45s %6.0f events/flush %7.0f µs CPU/flush %6.2f µs/event %7.0f KB alloc/flush %5.2f writes/flush"
                            + " %6.0f KB written/flush  (%d rows)%n", cfg[0], r[0], r[1], r[1] / r[0], r[2], r[3], r[4], rows);
            journal.close();
            db.close();
        }
    }

    /** The simple flow's events, 250 ms of the stream at a time. */
    static final class Stream {
        final long epoch = 1_765_000_000L;
        long nextCall;
        double now; // seconds
        final List<double[]> open = new ArrayList<>(); // call number, start, events sent

        List<JournalEvent> next() {
            double end = now + 0.25;
            while (nextCall / CALLS_PER_S < end) {
                open.add(new double[]{nextCall, nextCall / CALLS_PER_S, 0});
                nextCall++;
            }
            List<JournalEvent> out = new ArrayList<>();
            Instant base = Instant.parse("2026-12-06T10:00:00Z");
            for (var it = open.iterator(); it.hasNext(); ) {
                double[] c = it.next();
                while (c[2] < AT.length && c[1] + AT[(int) c[2]] < end) {
                    int k = (int) c[2]++;
                    Instant at = base.plusNanos((long) ((c[1] + AT[k]) * 1e9));
                    String id = epoch + "." + (long) c[0];
                    Type type = k == 0 ? Type.CALL_ENTERED : k == AT.length - 1 ? Type.CALL_ENDED : Type.CALL_NODE;
                    String node = k == 0 ? null : NODES[Math.min(k - 1, NODES.length - 1)];
                    out.add(JournalEvent.of(at, type, id, "bench-simple", node, null, null, null,
                            type == Type.CALL_ENDED ? "SELF_SERVED" : null, null, "bench"));
                }
                if (c[2] >= AT.length) {
                    it.remove();
                }
            }
            now = end;
            return out;
        }
    }

    static double[] run(JdbcJournal journal, Stream stream, int flushes, boolean measure) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long cpu = 0, bytes = 0, events = 0, writes = 0, written = 0;
        for (int f = 0; f < flushes; f++) {
            List<JournalEvent> batch = stream.next();
            for (JournalEvent e : batch) {
                journal.emitWritten(e);
            }
            events += batch.size();
            long[] io0 = io();
            long m0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getThreadAllocatedBytes(me);
            if (!journal.flush()) {
                throw new IllegalStateException("flush left events");
            }
            cpu += threads.getCurrentThreadCpuTime() - m0;
            bytes += threads.getThreadAllocatedBytes(me) - b0;
            long[] io1 = io();
            writes += io1[0] - io0[0];
            written += io1[1] - io0[1];
        }
        return new double[]{(double) events / flushes, cpu / 1e3 / flushes, bytes / 1024.0 / flushes,
                (double) writes / flushes, written / 1024.0 / flushes};
    }

    /** This thread's write calls and bytes. */
    static long[] io() throws Exception {
        long syscw = 0, wchar = 0;
        for (String l : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
            if (l.startsWith("syscw:")) {
                syscw = Long.parseLong(l.substring(6).trim());
            } else if (l.startsWith("wchar:")) {
                wchar = Long.parseLong(l.substring(6).trim());
            }
        }
        return new long[]{syscw, wchar};
    }
}
