import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.outbox.Outbox;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the journal's outbox allocates per event to hand a flush's events to the database writer (the sink here does
 * nothing): 75 openings' 525 events appended as the calls append them (a call's node events with its next event), then
 * one flush, as the journal writer's thread does every 250 ms. Bytes the flushing thread allocated, and its CPU time,
 * per event, after warm-up. Run against a jar of main and one of this branch:
 * java -cp "ivr-server/target/JAR:ivr-server/target/lib/*" docs/benchmarks/r14s-probes/OutboxFlushProbe.java [flushes (200)]
 */
public class OutboxFlushProbe {
    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("outbox-flush-probe");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long bytes = 0, cpu = 0, events = 0, call = 0;
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        try (Outbox<JournalEvent> box = new Outbox<>(dir, "events-", JournalEvent.class, JournalEvent::callId, "event(s)")) {
            for (int f = 0; f < flushes + 50; f++) {
                int n = 0;
                for (int c = 0; c < 75; c++, call++) {
                    String id = "1764900000." + call;
                    t = t.plusMillis(3);
                    box.append(JournalEvent.of(t, JournalEvent.Type.CALL_ENTERED, id, "customer-service", "start", null, null, null, null, null, "bench"));
                    List<JournalEvent> held = new ArrayList<>();
                    for (String node : List.of("check-hours", "identify-caller", "greeting", "menu")) {
                        held.add(JournalEvent.of(t, JournalEvent.Type.CALL_NODE, id, "customer-service", node, null, null, null, null, null, "bench"));
                    }
                    held.add(JournalEvent.of(t, JournalEvent.Type.CALL_IDENTIFIED, id, "customer-service", "identify-caller", null, null, null, "IDENTIFIED", null, "bench"));
                    box.appendAll(held);
                    box.append(JournalEvent.of(t.plusMillis(2), JournalEvent.Type.CALL_ENDED, id, "customer-service", "menu", null, null, 2000L, "caller_hangup", null, "bench").withCustomer("C" + call % 1000));
                    n += 7;
                }
                long b0 = threads.getThreadAllocatedBytes(me);
                long c0 = threads.getCurrentThreadCpuTime();
                if (!box.flush(batch -> { }, 1000)) {
                    throw new IllegalStateException("flush failed");
                }
                if (f >= 50) {
                    bytes += threads.getThreadAllocatedBytes(me) - b0;
                    cpu += threads.getCurrentThreadCpuTime() - c0;
                    events += n;
                }
            }
        }
        System.out.printf("%.2f KB allocated and %.1f µs of thread CPU per event by the flush (%d events)%n",
                bytes / 1024.0 / events, cpu / 1000.0 / events, events);
    }
}
