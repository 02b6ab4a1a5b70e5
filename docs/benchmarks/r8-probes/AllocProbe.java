import dev.ivr.server.cluster.ClusterCipher;
import dev.ivr.server.cluster.ClusterValueSerializer;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.outbox.Outbox;
import dev.ivr.server.wire.ClusterValue;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes allocated per call by the AGI path's encoders, as a call uses them: each "call" is a new virtual thread (as
 * the server's are) that writes {@code checkpoints} sealed cluster values of a {@code size}-byte JSON state (what a
 * checkpoint is on the wire) and appends its journal events to an outbox ({@code events} events: one alone, the rest
 * in appends of two, as node events go with the call's next event). Counted with the JVM's per-thread allocation
 * counters over all threads (the virtual threads' allocation is their carriers'), one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}); the first half of the calls is warm-up.
 * Run against a server jar: java -cp "docs/benchmarks/r8-probes-classes:JAR:LIB/*" AllocProbe 4000 6 8 1500
 */
public class AllocProbe {
    /** A value with a checkpoint's shape (call id, JSON state, member), for the serializer. */
    public record Probe(String callId, String state, String member) implements ClusterValue {
    }

    public static void main(String[] a) throws Exception {
        int calls = Integer.parseInt(a[0]), checkpoints = Integer.parseInt(a[1]), events = Integer.parseInt(a[2]);
        int size = Integer.parseInt(a[3]);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        SerializationConfig config = new SerializationConfig();
        config.addSerializerConfig(new SerializerConfig().setTypeClass(ClusterValue.class)
                .setImplementation(new ClusterValueSerializer(new ClusterCipher(key, "server values"))));
        SerializationService service = new DefaultSerializationServiceBuilder().setConfig(config).build();
        StringBuilder sb = new StringBuilder("{\"v\":1,\"server\":\"ivr-1\",\"vars\":{");
        for (int i = 0; sb.length() < size - 20; i++) {
            sb.append("\"var").append(i).append("\":\"value ").append(i).append("\",");
        }
        String state = sb.append("\"end\":true}}").toString();
        Path dir = Files.createTempDirectory("allocprobe");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Outbox<JournalEvent> box = new Outbox<>(dir, "events-", JournalEvent.class, JournalEvent::callId, "events")) {
            long[] measured = new long[3]; // bytes: all, checkpoints, events
            for (int half = 0; half < 2; half++) {
                for (int part = 0; part < 2; part++) {
                    boolean cps = part == 0;
                    long before = mx.getTotalThreadAllocatedBytes();
                    for (int c = 0; c < calls / 2; c++) {
                        String callId = "1796355070." + half + "." + c;
                        Thread t = Thread.ofVirtual().start(() -> {
                            try {
                                if (cps) {
                                    for (int i = 0; i < checkpoints; i++) {
                                        service.toData(new Probe(callId, state, "0f8c1a2e-6d4b-4c41-9e0a-3b1d2c4e5f60"));
                                    }
                                } else {
                                    List<JournalEvent> two = new ArrayList<>();
                                    box.append(event(callId, JournalEvent.Type.CALL_ENTERED));
                                    for (int i = 1; i < events; i++) {
                                        two.add(event(callId, JournalEvent.Type.CALL_NODE));
                                        if (two.size() == 2 || i == events - 1) {
                                            box.appendAll(two);
                                            two = new ArrayList<>();
                                        }
                                    }
                                }
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                        t.join();
                    }
                    long used = mx.getTotalThreadAllocatedBytes() - before;
                    if (half == 1) {
                        measured[cps ? 1 : 2] = used;
                    }
                }
            }
            int n = calls / 2;
            System.out.printf("per call (%d measured): checkpoints %d x %d B: %.0f B allocated (%.0f per checkpoint);"
                    + " journal events %d: %.0f B allocated (%.0f per event)%n", n, checkpoints, state.length(),
                    measured[1] / (double) n, measured[1] / (double) n / checkpoints, events,
                    measured[2] / (double) n, measured[2] / (double) n / events);
        }
    }

    static JournalEvent event(String callId, JournalEvent.Type type) {
        return JournalEvent.of(Instant.now(), type, callId, "simple", "menu", null, null, null, null, null, "ivr-1");
    }
}
