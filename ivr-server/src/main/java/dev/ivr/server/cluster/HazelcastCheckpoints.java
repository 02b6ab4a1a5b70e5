package dev.ivr.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.wire.ClusterValue;
import dev.ivr.server.wire.OffCallThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checkpoints in a Hazelcast map shared by the cluster (with the cluster's backup count), each
 * entry living {@code ttl} after its last write: a call that never ends cleanly does not stay.
 * A cluster problem never fails a call: it is logged and the call goes on without checkpoint.
 *
 * <p>How long a flow step waits for its checkpoint is the {@link Durability}. With
 * {@link Durability#ASYNC} writes of one call are coalesced: while one is on its way to the
 * partition owner, newer states of the same call replace each other and only the last is sent
 * when the first is acknowledged, so a cluster that falls behind receives fewer writes, not a
 * growing queue; the delete at the call's end goes after the write on its way.
 *
 * <p>What follows a write's acknowledgement runs in the one task that Hazelcast itself hands to
 * {@link java.util.concurrent.ForkJoinPool#commonPool()} for every asynchronous map operation (the map proxy's
 * future completes there), see {@link #acknowledged}: a callback given to Hazelcast's own {@code whenComplete} cost
 * two more hand-offs to that pool per write.
 */
public final class HazelcastCheckpoints implements Checkpoints {
    public static final String MAP = "ivr.flow.checkpoints";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastCheckpoints.class);
    /** How long a {@link Durability#BACKUP_ACK} write waits at most before the call goes on without it. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    /** When a step's checkpoint counts as written. */
    public enum Durability {
        /** Sent to the cluster; the step goes on at once (the last step or two can be lost with the member that owns it). */
        ASYNC,
        /** The partition owner stored it and its backups acknowledged it before the step's next AGI command. */
        BACKUP_ACK;

        /** {@code async} or {@code backup-ack}, as in the configuration. */
        public static Durability parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
                case "async" -> ASYNC;
                case "backup-ack" -> BACKUP_ACK;
                default -> throw new IllegalArgumentException("'" + text + "' is not one of [async, backup-ack]");
            };
        }
    }

    /**
     * A checkpoint as kept in the cluster: sealed, and bound to its call id. {@code member} is the UUID of the
     * Hazelcast member that wrote it (null in checkpoints of older servers): a server restarted under the same
     * name is a new member, so {@link LostCallRecorder} tells the calls of the dead incarnation from its own.
     *
     * <p>{@code claimedBy} is set once the call's server was lost: the UUID of the survivor that records the call
     * from this checkpoint, since {@code claimedAt}, for the lost member {@code claimedFrom} (the writer, or an
     * earlier claimer that was lost too). The claimer removes the checkpoint once the call's interaction is durable;
     * if the claimer is lost first, its claims are claimed again. Null in a checkpoint of a live call.
     */
    record Checkpoint(String callId, String state, String member, String claimedBy, String claimedFrom,
                      java.time.Instant claimedAt) implements ClusterValue {
        Checkpoint(String callId, String state, String member) {
            this(callId, state, member, null, null, null);
        }

        @Override
        public String key() {
            return callId;
        }

        /** This checkpoint, claimed by the member {@code claimer} at {@code at} because {@code from} was lost. */
        Checkpoint claimed(String claimer, String from, java.time.Instant at) {
            return new Checkpoint(callId, state, member, claimer, from, at);
        }
    }

    /** A call with a write on its way: what to send when it is acknowledged (the newest state, or the delete). */
    private static final class Pending {
        String state;
        boolean deleted;
    }

    private final IMap<String, Checkpoint> map;
    private final String member;
    private final long ttlMillis;
    private final Durability durability;
    private final ConcurrentHashMap<String, Pending> onTheirWay = new ConcurrentHashMap<>();
    private final OffCallThread offCallThread;

    /** @param offCallThread where a call's map operations run (its server's) */
    public HazelcastCheckpoints(HazelcastInstance hazelcast, Duration ttl, OffCallThread offCallThread) {
        this(hazelcast, ttl, Durability.ASYNC, offCallThread);
    }

    public HazelcastCheckpoints(HazelcastInstance hazelcast, Duration ttl, Durability durability,
                                OffCallThread offCallThread) {
        this.offCallThread = java.util.Objects.requireNonNull(offCallThread, "offCallThread");
        this.map = hazelcast.getMap(MAP);
        this.member = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.ttlMillis = ttl.toMillis();
        this.durability = durability;
    }

    public Durability durability() {
        return durability;
    }

    @Override
    public void save(String callId, String state) {
        if (durability == Durability.BACKUP_ACK) {
            saveAcknowledged(callId, state);
            return;
        }
        boolean[] sendNow = {false};
        onTheirWay.compute(callId, (k, p) -> {
            if (p == null) {
                sendNow[0] = true;
                return new Pending();
            }
            p.state = state; // replaces a newer-but-unsent one: only the last matters
            p.deleted = false;
            return p;
        });
        if (sendNow[0]) {
            offCallThread.send(() -> send(callId, state)); // later ones are sent from the acknowledgement's thread
        }
    }

    /** Waits until the owner stored the checkpoint and the backups acknowledged it (Hazelcast's synchronous backups). */
    private void saveAcknowledged(String callId, String state) {
        try {
            offCallThread.call(() -> map.setAsync(callId, new Checkpoint(callId, state, member), ttlMillis,
                    TimeUnit.MILLISECONDS).toCompletableFuture()).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("checkpoint not confirmed: interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("checkpoint not confirmed: {}", e.toString());
        }
    }

    private void send(String callId, String state) {
        try {
            acknowledged(map.setAsync(callId, new Checkpoint(callId, state, member), ttlMillis, TimeUnit.MILLISECONDS)).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("checkpoint not saved: {}", cause(e));
                }
                next(callId);
            });
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not saved: {}", e.toString());
            next(callId);
        }
    }

    /** The write on its way was acknowledged: send what came meanwhile, if anything. */
    private void next(String callId) {
        String[] state = {null};
        boolean[] delete = {false};
        onTheirWay.computeIfPresent(callId, (k, p) -> {
            if (p.deleted) {
                delete[0] = true;
                return null;
            }
            if (p.state != null) {
                state[0] = p.state;
                p.state = null;
                return p;
            }
            return null;
        });
        if (delete[0]) {
            deleteAsync(callId);
        } else if (state[0] != null) {
            send(callId, state[0]);
        }
    }

    @Override
    public Optional<String> load(String callId) {
        try {
            return Optional.ofNullable(offCallThread.call(() -> map.get(callId))).filter(c -> c.belongsTo(callId)).map(Checkpoint::state);
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not read: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * One {@code putIfAbsent} (with the TTL): the checkpoint a call the dialplan sent again resumes from, or, for a new
     * call, {@code first} stored as its first checkpoint, where a {@code get} and, once the call's opening ran, a
     * {@code set} took two operations (and the set a common-pool task). The call's thread waits for it, as it waited
     * for the {@code get}; with {@link Durability#BACKUP_ACK} it is acknowledged by the backups before it returns, as
     * that durability's writes are. A value in the slot that is not this call's (see
     * {@link dev.ivr.server.wire.ClusterValue#belongsTo}) is replaced, and a cluster problem falls back to
     * {@link #save}: either way {@code first} is sent, and the call starts as a new one.
     */
    @Override
    public Optional<String> loadOrClaim(String callId, String first) {
        Checkpoint found;
        try {
            found = offCallThread.call(() -> map.putIfAbsent(callId, new Checkpoint(callId, first, member), ttlMillis,
                    TimeUnit.MILLISECONDS));
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not read: {}", e.toString());
            save(callId, first);
            return Optional.empty();
        }
        if (found == null) {
            return Optional.empty();
        }
        if (!found.belongsTo(callId)) {
            save(callId, first);
            return Optional.empty();
        }
        return Optional.of(found.state());
    }

    @Override
    public boolean claims() {
        return true;
    }

    @Override
    public void delete(String callId) {
        boolean[] later = {false};
        onTheirWay.computeIfPresent(callId, (k, p) -> {
            p.state = null;
            p.deleted = true; // after the write on its way, which would otherwise bring the checkpoint back
            later[0] = true;
            return p;
        });
        if (later[0]) {
            return;
        }
        try {
            if (durability == Durability.ASYNC) {
                offCallThread.send(() -> deleteAsync(callId)); // the call's last commands do not wait for the cluster either
            } else {
                offCallThread.run(() -> map.delete(callId));
            }
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not deleted: {}", e.toString());
        }
    }

    private void deleteAsync(String callId) {
        try {
            acknowledged(map.deleteAsync(callId)).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("checkpoint not deleted: {}", cause(e));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not deleted: {}", e.toString());
        }
    }

    /**
     * A plain {@link CompletableFuture} completed by Hazelcast's future of a map operation, on the thread that completes
     * that one, so that what is chained to it with {@code whenComplete} runs there too. Hazelcast's map proxy returns a
     * future that its invocation completes through a task on {@code ForkJoinPool.commonPool()} (5.x: its
     * {@code DelegatingCompletableFuture}); every stage chained to it with Hazelcast's methods ({@code whenComplete},
     * even {@code whenCompleteAsync} with a direct executor) is one more such future, one more task, and for the
     * non-async ones the callback itself is a third. {@link CompletableFuture#copy()} is the JDK's own: it hangs on
     * the future's completion without a task of its own and returns a JDK future, whose {@code whenComplete} runs
     * the callback in the completing thread. The callback runs on a common-pool worker as before (it may log and send
     * the next write), in the task the pool runs anyway.
     */
    static <T> CompletableFuture<T> acknowledged(CompletionStage<T> hazelcastFuture) {
        return hazelcastFuture.toCompletableFuture().copy();
    }

    /** What failed, without the {@link CompletionException} that {@link #acknowledged}'s copy wraps it in. */
    static String cause(Throwable e) {
        return (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).toString();
    }
}
