package dev.ivr.routing.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.ivr.routing.AgentState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Why {@link WireSerializer} and not Java serialization: the agent record written and read back through
 * Hazelcast's serialization service, both ways. Sizes are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SerializationBenchmark {

    /** The same fields as {@link AgentRecord}, serialized the Java way. */
    public record JavaAgentRecord(String id, String name, String endpoint, Map<String, Integer> skills,
                                  Set<String> languages, long session, AgentState state, long stateSince,
                                  String reasonCode, String callId, String queueId, String callOwner,
                                  long reservedUntil, long restoreSince, long wrapUpUntil, String pendingReason,
                                  long version, AgentState prevState, long prevSince, long token, String reservedBy)
            implements Serializable {
    }

    private SerializationService ss;
    private AgentRecord wire;
    private JavaAgentRecord java;
    private Data wireData;
    private Data javaData;

    @Setup
    public void setUp() {
        ss = new DefaultSerializationServiceBuilder().build();
        AgentRecord r = AgentRecord.login(null, new dev.ivr.routing.AgentProfile("agent-4711", "Agent 4711",
                        "PJSIP/4711", Map.of("s1", 5, "s7", 9, "s12", 3, "s30", 7, "s44", 2), Set.of("en", "fr")),
                123456789L, 1_736_154_000_000L).ready(1_736_154_001_000L)
                .reserve(123456789L, "1736154001.42", "q7", "6f1c0e7e-1d8e-4e0a-9d0e-7f0c2b1a9e11",
                        1_736_154_121_000L, 1_736_154_001_000L, "0b6a6a1e-2f0c-4d7e-8a57-1c3f2e9d4b10")
                .stamped(987654321L);
        wire = r;
        java = new JavaAgentRecord(r.id(), r.name(), r.endpoint(), r.skills(), r.languages(), r.session(), r.state(),
                r.stateSince(), r.reasonCode(), r.callId(), r.queueId(), r.callOwner(), r.reservedUntil(),
                r.restoreSince(), r.wrapUpUntil(), r.pendingReason(), r.version(), r.prevState(), r.prevSince(),
                r.token(), r.reservedBy());
        wireData = ss.toData(wire);
        javaData = ss.toData(java);
        System.out.printf("%nagent record: %d bytes with WireSerializer, %d bytes with Java serialization%n",
                wireData.totalSize(), javaData.totalSize());
    }

    @Benchmark
    public Object wireWrite() {
        return ss.toData(wire);
    }

    @Benchmark
    public Object wireRead() {
        return ss.toObject(wireData);
    }

    @Benchmark
    public Object javaWrite() {
        return ss.toData(java);
    }

    @Benchmark
    public Object javaRead() {
        return ss.toObject(javaData);
    }
}
