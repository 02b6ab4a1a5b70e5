package dev.ivr.server.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.logging.LogText;
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
import java.util.concurrent.TimeUnit;

/**
 * A record for every call, even one whose server died: when a member leaves the cluster, each surviving member
 * waits for the grace period (the dialplan's fallback brings a call to another server within seconds, and a
 * resumed call checkpoints at once under its new server's name), then claims every checkpoint the lost member
 * wrote and writes the call's interaction from it: outcome {@code FAILED}, the path ending in {@code node-lost}.
 * A call that was resumed elsewhere is left alone: its new server wrote its checkpoint since, and writes its real
 * outcome.
 *
 * <p>Exactly once, wherever the partitions are: the checkpoints are claimed by an entry processor on every
 * partition ({@link ClaimLost}), which marks each one as claimed by this member atomically on its owner, so of the
 * survivors that all look only one gets a call, even while partitions move (a killed server that an operator starts
 * again at once rejoins within the grace and takes partitions back). The lost member is told by its UUID, not its
 * node name: the restarted server is a new member, and the calls it took on since are its own.
 *
 * <p>A claim, not a removal: the claimer removes the checkpoint ({@link ReleaseClaim}) only once the interaction it
 * wrote is durable (committed, or in the outbox on disk), as a finished call's server does. A claimer that dies
 * before that is a lost member too: the survivors claim its unfinished claims again and record those calls. One
 * that committed and died before removing leaves a claim whose call is recorded already; the interactions table
 * keeps the first record of a call id, so the call still has exactly one interaction.
 */
public final class LostCallRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LostCallRecorder.class);
    static final String NODE_LOST = "node-lost";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest wait for the partitions of a lost member to settle on the survivors. */
    private static final Duration SAFE_WAIT = Duration.ofMinutes(1);
    /** How often a scan that failed (the cluster in flux) is tried again. */
    private static final int ATTEMPTS = 3;

    private final HazelcastInstance hazelcast;
    private final IMap<String, HazelcastCheckpoints.Checkpoint> checkpoints;
    private final CrmStore crm;
    private final Duration grace;
    private final Duration claimTtl;
    private final Clock clock;
    private final UUID listener;
    private final Set<Thread> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LostCallRecorder(HazelcastInstance hazelcast, CrmStore crm, Duration grace, Duration claimTtl, Clock clock) {
        this.hazelcast = hazelcast;
        this.checkpoints = hazelcast.getMap(HazelcastCheckpoints.MAP);
        this.crm = crm;
        this.grace = grace;
        this.claimTtl = claimTtl;
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

    /**
     * @param grace    how long a lost server's calls have to come back through the dialplan before they are recorded
     * @param claimTtl how long a claimed checkpoint stays at most (the checkpoints' time to live): until this server
     *                 has recorded its call durably, or has left the cluster and another survivor claims it
     */
    public static LostCallRecorder start(HazelcastInstance hazelcast, CrmStore crm, Duration grace, Duration claimTtl,
                                         Clock clock) {
        return new LostCallRecorder(hazelcast, crm, grace, claimTtl, clock);
    }

    private void lost(String node, UUID member) {
        Thread t = Thread.ofPlatform().daemon().name("lost-calls-" + node).unstarted(() -> {
            try {
                Thread.sleep(grace.toMillis());
                for (int attempt = 1; !closed; attempt++) {
                    awaitClusterSafe();
                    try {
                        int n = recordCallsOf(node, member);
                        if (n > 0) {
                            LOG.warn("{} call(s) of the lost server {} recorded as failed (node lost)", n, node);
                        }
                        return;
                    } catch (RuntimeException e) {
                        if (closed || attempt >= ATTEMPTS) {
                            throw e;
                        }
                        LOG.info("calls of the lost server {} not claimed yet ({}): trying again", node, e.toString());
                        Thread.sleep(1000);
                    }
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

    /** The dead member's backups are promoted first: a partition with no owner yet would keep the scan waiting. */
    private void awaitClusterSafe() throws InterruptedException {
        long until = System.nanoTime() + SAFE_WAIT.toNanos();
        while (!hazelcast.getPartitionService().isClusterSafe() && System.nanoTime() - until < 0) {
            Thread.sleep(200);
        }
    }

    /**
     * Claims the checkpoints that the member {@code member} (server {@code node}) wrote, or had claimed and not
     * finished, and records their calls, each checkpoint removed once its call's interaction is durable; answers how
     * many this member claimed (another survivor may have claimed the others). A claim this member made earlier for
     * the same lost member (a scan that failed half-way) is taken up again.
     */
    public int recordCallsOf(String node, UUID member) {
        String me = hazelcast.getCluster().getLocalMember().getUuid().toString();
        Map<String, HazelcastCheckpoints.Checkpoint> claimed = checkpoints.executeOnEntries(
                new ClaimLost(node, member.toString(), me, clock.instant(), claimTtl.toMillis()));
        int n = 0;
        for (Map.Entry<String, HazelcastCheckpoints.Checkpoint> e : claimed.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            String callId = e.getKey();
            Map<String, Object> state = state(e.getValue());
            if (state == null) {
                LOG.warn("a checkpoint of the lost server {} cannot be read: call {} not recorded", node,
                        LogText.escape(callId));
                release(callId, me);
                continue;
            }
            crm.record(interaction(callId, state, node), () -> release(callId, me));
            n++;
        }
        return n;
    }

    /** The call's interaction is durable: its checkpoint goes, unless someone else has it now (a resumed call). */
    private void release(String callId, String me) {
        // not waited for (the durable callbacks of a whole batch run one after another); when this member is gone the
        // claim stays, another survivor claims it again, and the table keeps the call's one record
        try {
            checkpoints.submitToKey(callId, new ReleaseClaim(me)).whenComplete((removed, e) -> {
                if (e != null) {
                    LOG.info("claimed checkpoint of call {} not removed: {}", LogText.escape(callId), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.info("claimed checkpoint of call {} not removed: {}", LogText.escape(callId), e.toString());
        }
    }

    private static Map<String, Object> state(HazelcastCheckpoints.Checkpoint checkpoint) {
        try {
            return JSON.readValue(checkpoint.state(), new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Marks a checkpoint that the lost member wrote, or had claimed, as claimed by {@code claimer} (atomically on the
     * partition's owner and its backups, living {@code ttlMillis} from now) and answers it; answers null and leaves
     * every other checkpoint alone (a live member's, another survivor's claim). A checkpoint of an older server,
     * without its writer's UUID, is claimed when it names the lost server. A claim of {@code claimer}'s own for the
     * same lost member is answered again (its earlier scan failed before it recorded everything).
     */
    record ClaimLost(String node, String lost, String claimer, Instant at, long ttlMillis)
            implements EntryProcessor<String, HazelcastCheckpoints.Checkpoint, HazelcastCheckpoints.Checkpoint>,
            ClusterValue {
        @Override
        public HazelcastCheckpoints.Checkpoint process(Map.Entry<String, HazelcastCheckpoints.Checkpoint> entry) {
            HazelcastCheckpoints.Checkpoint c = entry.getValue();
            if (c == null || !c.belongsTo(entry.getKey())) {
                return null;
            }
            boolean ours;
            if (c.claimedBy() != null) {
                ours = c.claimedBy().equals(lost) || c.claimedBy().equals(claimer) && lost.equals(c.claimedFrom());
            } else if (c.member() != null) {
                ours = c.member().equals(lost);
            } else {
                ours = java.util.Optional.ofNullable(state(c)).map(s -> node.equals(s.get("server"))).orElse(false);
            }
            if (!ours) {
                return null;
            }
            HazelcastCheckpoints.Checkpoint claimed = c.claimed(claimer, lost, at);
            ((ExtendedMapEntry<String, HazelcastCheckpoints.Checkpoint>) entry).setValue(claimed, ttlMillis,
                    TimeUnit.MILLISECONDS);
            return claimed;
        }
    }

    /**
     * The previous release's scan, run here when a member of that release sends it during a rolling upgrade: removes
     * a checkpoint written by the lost member and answers it (that member records the call). A checkpoint claimed by
     * a member of this release is left alone: its claimer records the call.
     */
    record TakeLost(String node, String member) implements EntryProcessor<String, HazelcastCheckpoints.Checkpoint,
            HazelcastCheckpoints.Checkpoint>, ClusterValue {
        @Override
        public HazelcastCheckpoints.Checkpoint process(Map.Entry<String, HazelcastCheckpoints.Checkpoint> entry) {
            HazelcastCheckpoints.Checkpoint c = entry.getValue();
            if (c == null || !c.belongsTo(entry.getKey()) || c.claimedBy() != null) {
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

    /**
     * Removes a checkpoint claimed by {@code claimer}, whose call's interaction is durable now, and answers true;
     * leaves anything else alone (the call came back through the dialplan and its new server rewrote it, unclaimed).
     */
    record ReleaseClaim(String claimer) implements EntryProcessor<String, HazelcastCheckpoints.Checkpoint, Boolean>,
            ClusterValue {
        @Override
        public Boolean process(Map.Entry<String, HazelcastCheckpoints.Checkpoint> entry) {
            HazelcastCheckpoints.Checkpoint c = entry.getValue();
            if (c == null || !claimer.equals(c.claimedBy())) {
                return false;
            }
            entry.setValue(null);
            return true;
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
        // the server the call was on: the lost member's name, or the first lost server's when its claimer died too
        String server = state.get("server") instanceof String s ? s : node;
        return new Interaction(callId, (String) state.get("ani"), null, flow, version, start, clock.instant(), path,
                inputs, (String) state.get("customerId"), (String) state.get("authOutcome"), null, null, null, null,
                Interaction.Outcome.FAILED, server);
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
