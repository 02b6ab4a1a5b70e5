package dev.ivr.server.cluster;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One server (a real embedded cluster member, routing and HTTP off) serving the load generator's simple flow
 * (loadgen's bench/flows/simple.yaml and its prompts, copied as the load generator deploys them), and what its calls
 * ask of Hazelcast, counted by the members' own statistics: per map, the put, set, get, remove and other operations
 * ({@link LocalMapStats}; an entry processor is an "other" one), and every operation the member ran (its operation
 * service's count, background ones included). For {@link CallClusterOpsIT} and {@link CallClusterProbe}.
 */
final class SimpleFlowCalls implements AutoCloseable {
    static final Path BENCH = Path.of("..", "loadgen", "src", "main", "resources", "bench");

    final IvrServer server;
    final FakePbx pbx;

    /** @param durability the server's flows.checkpoint-durability (async, backup-ack) */
    SimpleFlowCalls(Path dir, String durability) throws IOException {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.copy(BENCH.resolve("flows/simple.yaml"), flows.resolve("simple.yaml"));
        Path prompts = Files.createDirectories(dir.resolve("prompts/en"));
        Files.copy(BENCH.resolve("prompts/en/bench.yaml"), prompts.resolve("bench.yaml"));
        server = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("data")), Map.of(
                "IVR_FLOWS_DIR", flows.toString(), "IVR_PROMPTS_DIR", dir.resolve("prompts").toString(),
                "IVR_FLOWS_WATCH", "false", "IVR_HTTP_ENABLED", "false", "IVR_ROUTING_ENABLED", "false",
                "IVR_FLOWS_CHECKPOINT_DURABILITY", durability)));
        pbx = new FakePbx("127.0.0.1", server.agiPort());
    }

    /** One caller of the simple flow, as loadgen's SimpleFlowScenario (without its think times): 1, then a code typed in a row. */
    CallResult call(String code) {
        return call(code, Duration.ZERO);
    }

    /** The same, each prompt playing {@code prompt}. */
    CallResult call(String code, Duration prompt) {
        Caller c = Caller.script().press("1").press(code);
        return pbx.call("simple").callerId("+3612345678").caller(c).promptTime(prompt).run(Duration.ofSeconds(60));
    }

    HazelcastInstance hazelcast() {
        return server.hazelcast();
    }

    /** Operations by map and kind (map name / put, set, get, remove, other), and "*" / operations: all the member ran. */
    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        for (DistributedObject o : hazelcast().getDistributedObjects()) {
            if (o instanceof IMap<?, ?> m) {
                LocalMapStats s = m.getLocalMapStats();
                out.put(m.getName() + " / put", s.getPutOperationCount());
                out.put(m.getName() + " / set", s.getSetOperationCount());
                out.put(m.getName() + " / get", s.getGetOperationCount());
                out.put(m.getName() + " / remove", s.getRemoveOperationCount());
                out.put(m.getName() + " / other", s.getOtherOperationCount());
            } else {
                out.put(o.getServiceName() + " " + o.getName() + " / (not a map)", 0L);
            }
        }
        var original = ((com.hazelcast.instance.impl.HazelcastInstanceProxy) hazelcast()).getOriginal();
        out.put("* / operations", original.node.getNodeEngine().getOperationService().getExecutedOperationCount());
        return out;
    }

    /** after minus before, per key (keys only in after count from 0), without the zeros. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0 || k.endsWith("(not a map)")) {
                d.put(k, n);
            }
        });
        return d;
    }

    long checkpointsHeld() {
        return hazelcast().getMap(HazelcastCheckpoints.MAP).getLocalMapStats().getOwnedEntryCount();
    }

    @Override
    public void close() {
        server.stop();
    }
}
