package dev.ivr.server.cluster;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.callcontext.CallContext;

import dev.ivr.server.wire.ClusterValue;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What sealing costs per value: a routing agent record and a call context written and read through Hazelcast's
 * serialization service, plain and sealed (AES-256-GCM, {@link ClusterCipher}); prints µs per operation. Run:
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp ivr-server/target/test-classes:ivr-server/target/classes:$(cat /tmp/cp.txt) dev.ivr.server.cluster.ClusterSealBenchmark
 * </pre>
 */
public final class ClusterSealBenchmark {
    private ClusterSealBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        SerializationService plain = new DefaultSerializationServiceBuilder().build();
        SerializationConfig sc = new SerializationConfig();
        HazelcastRouting.seal(sc, new ClusterCipher(key, "routing values"));
        sc.addSerializerConfig(new SerializerConfig().setTypeClass(ClusterValue.class)
                .setImplementation(new ClusterValueSerializer(new ClusterCipher(key, "server values"))));
        SerializationService sealed = new DefaultSerializationServiceBuilder().setConfig(sc).build();

        Object agent = agentRecord();
        CallContext context = new CallContext("1736154001.42", "+3612345678", "customer-service", "C1001", "Anna Kovács",
                "gold", Map.of("segment", "retail", "account", "10001"), "OK", "billing", Map.of("reason", "invoice"),
                List.of("welcome", "identify", "language", "main-menu", "verify", "to-billing"),
                Map.of("menu", "1", "pin", "****"), Duration.ofSeconds(42), Duration.ofSeconds(7), "billing", "alice",
                Instant.parse("2025-01-06T09:00:00Z"), false);
        for (String what : List.of("agent record", "call context")) {
            Object value = what.equals("agent record") ? agent : context;
            if (value == agent) {
                report(what + ", plain", plain, value);
            }
            report(what + ", sealed", sealed, value);
        }
    }

    private static Object agentRecord() throws Exception {
        Class<?> type = Class.forName("dev.ivr.routing.hazelcast.AgentRecord");
        Method login = type.getDeclaredMethod("login", type, AgentProfile.class, long.class, long.class);
        login.setAccessible(true);
        return login.invoke(null, null, new AgentProfile("agent-4711", "Agent 4711", "PJSIP/4711",
                Map.of("s1", 5, "s7", 9, "s12", 3, "s30", 7, "s44", 2), Set.of("en", "fr")), 123456789L, 1_736_154_000_000L);
    }

    private static void report(String what, SerializationService ss, Object value) {
        Data data = ss.toData(value);
        int n = 200_000;
        for (int round = 0; round < 3; round++) { // the last round is reported; the others warm up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                data = ss.toData(value);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ss.toObject(data);
            }
            long t2 = System.nanoTime();
            if (round == 2) {
                System.out.printf("%-26s %5d bytes   write %6.2f µs   read %6.2f µs%n", what, data.totalSize(),
                        (t1 - t0) / 1000.0 / n, (t2 - t1) / 1000.0 / n);
            }
        }
    }
}
