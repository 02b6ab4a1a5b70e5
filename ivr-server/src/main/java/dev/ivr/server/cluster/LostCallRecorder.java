package dev.ivr.server.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.wire.ClusterValue;
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
 * resumed call checkpoints at once under its new server's name), then takes every checkpoint the lost member
 * wrote out of the cluster and writes the call's interaction from it: outcome {@code FAILED}, the path ending in
 * {@code node-lost}. A call that was resumed elsewhere is left alone: its new server wrote its checkpoint since,
 * and writes its real outcome.
 *
 * <p>Exactly once, wherever the partitions are: the checkpoints are taken by an entry processor on every
 * partition ({@link TakeLost}), which removes each one atomically on its owner, so of the survivors that all look
 * only one gets a call, even while partitions move (a killed server that an operator starts again at once
 * rejoins within the grace and takes partitions back). The lost member is told by its UUID, not its node name: the
 * restarted server is a new member, and the calls it took on since are its own.
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
                    lost(node, event.getMember().getUuid());
                }
            }
        });
    }

    /** @param grace how long a lost server's calls have to come back through the dialplan before they are recorded */
    public static LostCallRecorder start(HazelcastInstance hazelcast, CrmStore crm, Duration grace, Clock clock) {
        return new LostCallRecorder(hazelcast, crm, grace, clock);
    }

    private void lost(String node, UUID member) {
        Thread t = Thread.ofVirtual().name("lost-calls-" + node).unstarted(() -> {
            try {
                Thread.sleep(grace.toMillis());
                // the dead member's backups are promoted first: a partition with no owner yet would keep the scan waiting
                long until = System.nanoTime() + SAFE_WAIT.toNanos();
                while (!hazelcast.getPartitionService().isClusterSafe() && System.nanoTime() - until < 0) {
                    Thread.sleep(200);
                }
                int n = recordCallsOf(node, member);
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

    /**
     * Takes the checkpoints that the member {@code member} (server {@code node}) wrote out of the cluster and
     * records their calls; answers how many this member took (another survivor may have taken the others).
     */
    public int recordCallsOf(String node, UUID member) {
        Map<String, HazelcastCheckpoints.Checkpoint> taken = checkpoints.executeOnEntries(
                new TakeLost(node, member.toString()));
        int n = 0;
        for (Map.Entry<String, HazelcastCheckpoints.Checkpoint> e : taken.entrySet()) {
            Map<String, Object> state = e.getValue() == null ? null : state(e.getValue());
            if (state == null) {
                continue;
            }
            crm.record(interaction(e.getKey(), state, node));
            n++;
        }
        return n;
    }

    private static Map<String, Object> state(HazelcastCheckpoints.Checkpoint checkpoint) {
        try {
            return JSON.readValue(checkpoint.state(), new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Removes a checkpoint written by the lost member, atomically on the partition's owner (and its backups), and
     * answers it; answers null and leaves every other checkpoint alone. A checkpoint of an older server, without
     * its writer's UUID, is taken when it names the lost server.
     */
    record TakeLost(String node, String member) implements EntryProcessor<String, HazelcastCheckpoints.Checkpoint,
            HazelcastCheckpoints.Checkpoint>, ClusterValue {
        @Override
        public HazelcastCheckpoints.Checkpoint process(Map.Entry<String, HazelcastCheckpoints.Checkpoint> entry) {
            HazelcastCheckpoints.Checkpoint c = entry.getValue();
            if (c == null || !c.belongsTo(entry.getKey())) {
                return null;
            }
            boolean lost = c.member() != null ? c.member().equals(member)
                    : java.util.Optional.ofNullable(state(c)).map(s -> node.equals(s.get("server"))).orElse(false);
            if (!lost) {
                return null;
            }
            entry.setValue(null);
            return c;
        }
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
