package dev.ivr.server.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A record for every call, even one whose server died: when a member leaves the cluster, each surviving member
 * waits for the grace period (the dialplan's fallback brings a call to another server within seconds, and a
 * resumed call checkpoints at once under its new server's name), then writes the interaction of every call still
 * checkpointed by the lost server, from its checkpoint, among the checkpoints whose partitions it holds: outcome
 * {@code FAILED}, the path ending in {@code node-lost}. The checkpoint is then removed. A call that was resumed
 * elsewhere is left alone: its server writes its real outcome. A server that comes back under the same name does
 * not confuse it: only checkpoints last written before the member left are taken.
 */
public final class LostCallRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LostCallRecorder.class);
    static final String NODE_LOST = "node-lost";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest wait for the partitions of a lost member to settle on the survivors. */
    private static final Duration SAFE_WAIT = Duration.ofMinutes(1);

    private final HazelcastInstance hazelcast;
    private final IMap<String, HazelcastCheckpoints.Checkpoint> checkpoints;
    private final CrmStore crm;
    private final Duration grace;
    private final Clock clock;
    private final UUID listener;
    private final Set<Thread> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LostCallRecorder(HazelcastInstance hazelcast, CrmStore crm, Duration grace, Clock clock) {
        this.hazelcast = hazelcast;
        this.checkpoints = hazelcast.getMap(HazelcastCheckpoints.MAP);
        this.crm = crm;
        this.grace = grace;
        this.clock = clock;
        this.listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String node = event.getMember().getAttribute("node");
                if (node != null) {
                    lost(node, clock.millis());
                }
            }
        });
    }

    /** @param grace how long a lost server's calls have to come back through the dialplan before they are recorded */
    public static LostCallRecorder start(HazelcastInstance hazelcast, CrmStore crm, Duration grace, Clock clock) {
        return new LostCallRecorder(hazelcast, crm, grace, clock);
    }

    private void lost(String node, long leftAt) {
        Thread t = Thread.ofVirtual().name("lost-calls-" + node).unstarted(() -> {
            try {
                Thread.sleep(grace.toMillis());
                // the dead member's partitions are promoted on the survivors first: then each holds its share
                long until = System.nanoTime() + SAFE_WAIT.toNanos();
                while (!hazelcast.getPartitionService().isClusterSafe() && System.nanoTime() - until < 0) {
                    Thread.sleep(200);
                }
                int n = recordCallsOf(node, leftAt);
                if (n > 0) {
                    LOG.warn("{} call(s) of the lost server {} recorded as failed (node lost)", n, node);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("calls of the lost server {} not recorded: {}", node, e.toString());
                }
            } finally {
                waits.remove(Thread.currentThread());
            }
        });
        waits.add(t);
        t.start();
    }

    /** Records the calls this member holds the checkpoints of that {@code node} last wrote before {@code leftAt}. */
    public int recordCallsOf(String node, long leftAt) {
        int n = 0;
        for (String callId : checkpoints.localKeySet()) {
            EntryView<String, HazelcastCheckpoints.Checkpoint> view = checkpoints.getEntryView(callId);
            if (view == null || view.getValue() == null || !view.getValue().belongsTo(callId)
                    || view.getLastUpdateTime() > leftAt) {
                continue;
            }
            Map<String, Object> state;
            try {
                state = JSON.readValue(view.getValue().state(), new TypeReference<Map<String, Object>>() { });
            } catch (java.io.IOException e) {
                continue;
            }
            if (!node.equals(state.get("server"))) {
                continue;
            }
            crm.record(interaction(callId, state, node));
            checkpoints.delete(callId);
            n++;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private Interaction interaction(String callId, Map<String, Object> state, String node) {
        List<String> path = new ArrayList<>();
        ((List<Object>) state.getOrDefault("path", List.of())).forEach(p -> path.add(String.valueOf(p)));
        path.add(NODE_LOST);
        Map<String, String> inputs = new LinkedHashMap<>();
        ((Map<String, Object>) state.getOrDefault("inputs", Map.of())).forEach((k, v) -> inputs.put(k, String.valueOf(v)));
        String flow = null;
        String version = null;
        List<Map<String, Object>> frames = (List<Map<String, Object>>) state.getOrDefault("frames", List.of());
        if (!frames.isEmpty()) {
            flow = (String) frames.get(0).get("flow");
            version = frames.get(0).get("version") == null ? null : String.valueOf(frames.get(0).get("version"));
        }
        Instant start = state.get("start") == null ? null : Instant.parse((String) state.get("start"));
        return new Interaction(callId, (String) state.get("ani"), null, flow, version, start, clock.instant(), path,
                inputs, (String) state.get("customerId"), (String) state.get("authOutcome"), null, null, null, null,
                Interaction.Outcome.FAILED, node);
    }

    @Override
    public void close() {
        closed = true;
        waits.forEach(Thread::interrupt);
        try {
            hazelcast.getCluster().removeMembershipListener(listener);
        } catch (RuntimeException e) {
            // the member is gone
        }
    }
}
