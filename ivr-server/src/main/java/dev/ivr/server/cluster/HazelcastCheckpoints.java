package dev.ivr.server.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p><b>A member alone in its cluster does not write a call's steps to the map.</b> Its map lives in its own heap
 * only (no backup has anywhere to go): when it dies, the map dies with it, and no other member can resume or record
 * a call from it. There each step's checkpoint after the claim is held in the member's own memory
 * ({@link HeldCheckpoints}: one map update on the call's thread, no Hazelcast operation, no hand-off), whatever the
 * durability: a {@link Durability#BACKUP_ACK} step has no backup to wait for either. What still goes to the map on a
 * lone member: the claim at the call's start ({@link #loadOrClaim}: it finds a call resumed from a member that left,
 * whose checkpoint the backups brought here, and it is this member's mark on the call), the delete at the call's end
 * (of that claim), {@link #load}'s read, and every write of a call whose map entry is not this member's (a call
 * resumed from another member's checkpoint: its new owner must show in the map, or {@link LostCallRecorder} would
 * record it as lost). When a second member joins ({@link MembershipListener}, on this instance's
 * {@value #HOLD_THREAD} thread), every held state not yet in the map is written to it once, through the same
 * ordered paths as a step's write, and the steps that follow are written through as before for as long as the
 * cluster has other members; alone again, they are held again. Until that flush's write of a call is stored with
 * its backup (the log says how long handing them over took; the join's partition migration comes on top), a death of
 * this member loses the call's steps since its claim, as it lost all of them before the other member came.
 */
public final class HazelcastCheckpoints implements Checkpoints, AutoCloseable {
    public static final String MAP = "ivr.flow.checkpoints";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastCheckpoints.class);
    /** How long a {@link Durability#BACKUP_ACK} write waits at most before the call goes on without it. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    /** The thread that follows the cluster's membership (writes the held states when a member joins) and sweeps. */
    static final String HOLD_THREAD = "ivr-checkpoint-hold";
    /** How often the held states older than the checkpoints' time to live are removed, at most. */
    private static final Duration SWEEP = Duration.ofMinutes(1);

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
    private final HazelcastInstance hazelcast;
    private final HeldCheckpoints held;
    private final ScheduledExecutorService hold;
    private final UUID listener;
    /** Whether the last look at the membership found this member alone (the {@value #HOLD_THREAD} thread's). */
    private boolean wasAlone;

    /** @param offCallThread where a call's map operations run (its server's) */
    public HazelcastCheckpoints(HazelcastInstance hazelcast, Duration ttl, OffCallThread offCallThread) {
        this(hazelcast, ttl, Durability.ASYNC, offCallThread);
    }

    public HazelcastCheckpoints(HazelcastInstance hazelcast, Duration ttl, Durability durability,
                                OffCallThread offCallThread) {
        this.offCallThread = java.util.Objects.requireNonNull(offCallThread, "offCallThread");
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP);
        Cluster cluster = hazelcast.getCluster();
        this.member = cluster.getLocalMember().getUuid().toString();
        this.ttlMillis = ttl.toMillis();
        this.durability = durability;
        this.held = new HeldCheckpoints(ttlMillis, () -> System.nanoTime() / 1_000_000);
        // a platform thread: the flush's writes start in place (OffCallThread hands a virtual thread's away)
        this.hold = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(HOLD_THREAD).factory());
        this.listener = cluster.addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                membershipChanged();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                membershipChanged();
            }
        });
        membershipChanged(); // after the listener is added: no change is missed; each look reads the members anew
        long sweep = Math.max(1, Math.min(ttlMillis, SWEEP.toMillis()));
        hold.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Looks at the membership on the {@value #HOLD_THREAD} thread (one look at a time, each at the current members). */
    private void membershipChanged() {
        try {
            hold.execute(this::lookAtMembers);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void lookAtMembers() {
        boolean alone;
        try {
            alone = hazelcast.getCluster().getMembers().size() == 1;
        } catch (RuntimeException e) {
            LOG.debug("cluster membership not read: {}", e.toString());
            return; // the member is shutting down: saves stay as they are
        }
        long t0 = System.nanoTime();
        int written = held.membership(alone, this::flush);
        if (written > 0) {
            LOG.info("{} call checkpoint(s) held while this member was alone in the cluster handed to it in {} ms",
                    written, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        if (alone != wasAlone) {
            LOG.info(alone ? "alone in the cluster: calls' checkpoints after their claim are held in this member's memory"
                    : "the cluster has other members: calls' checkpoints are written to it");
            wasAlone = alone;
        }
    }

    /** A held state to the map (under the call's entry's lock in {@link HeldCheckpoints}: starts the write, no wait). */
    private CompletableFuture<?> flush(String callId, String state) {
        if (durability == Durability.ASYNC) {
            sendInOrder(callId, state); // coalesced and ordered with the call's own writes that follow
            return null;
        }
        try {
            CompletableFuture<Void> written = acknowledged(map.setAsync(callId, new Checkpoint(callId, state, member),
                    ttlMillis, TimeUnit.MILLISECONDS));
            written.whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("held checkpoint not written: {}", cause(e));
                }
            });
            return written; // the call's next synchronous write waits for it: it must not be overtaken
        } catch (RuntimeException e) {
            LOG.warn("held checkpoint not written: {}", e.toString());
            return null;
        }
    }

    private void sweep() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            hold.shutdown(); // the member is gone (an instance nobody closed): so is this one's work
            return;
        }
        int n = held.sweep();
        if (n > 0) {
            LOG.info("{} held call checkpoint(s) older than their time to live removed", n);
        }
    }

    /** Whether this member holds the calls' steps in its own memory now (alone in the cluster). */
    public boolean holding() {
        return held.alone();
    }

    /** How many calls' states are held and not in the map yet (tests). */
    int heldOnly() {
        return held.pending();
    }

    /** How many calls have an {@link Durability#ASYNC} write not acknowledged yet (with its backups) (tests). */
    int writesOnTheirWay() {
        return onTheirWay.size();
    }

    /** Stops following the membership; saves are written as the membership was last seen. */
    @Override
    public void close() {
        hold.shutdownNow();
        try {
            hazelcast.getCluster().removeMembershipListener(listener);
        } catch (RuntimeException e) {
            // the member is gone
        }
    }

    public Durability durability() {
        return durability;
    }

    @Override
    public void save(String callId, String state) {
        if (held.save(callId, state)) {
            return; // alone in the cluster: nothing to write it to that would outlive this member
        }
        if (durability == Durability.BACKUP_ACK) {
            awaitFlush(callId);
            saveAcknowledged(callId, state);
            return;
        }
        sendInOrder(callId, state);
    }

    /** The write of a call with {@link Durability#ASYNC}: coalesced with the call's writes on their way, in order. */
    private void sendInOrder(String callId, String state) {
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

    /** With {@link Durability#BACKUP_ACK}: the flush's write of the call, if on its way, before the call's own. */
    private void awaitFlush(String callId) {
        awaitFlush(held.flushing(callId));
    }

    private static void awaitFlush(CompletableFuture<?> flushing) {
        if (flushing == null || flushing.isDone()) {
            return;
        }
        try {
            flushing.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged by the flush; the call's own write goes on
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

    /**
     * The call's checkpoint: the newest state this member holds of it while its map entry is this member's (or gone
     * with its time to live since the claim, the steps after it held), else the map's.
     */
    @Override
    public Optional<String> load(String callId) {
        Checkpoint found;
        try {
            found = offCallThread.call(() -> map.get(callId));
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not read: {}", e.toString());
            return held.latest(callId);
        }
        if (found != null && !found.belongsTo(callId)) {
            found = null;
        }
        if (found == null || ours(found)) {
            Optional<String> mine = held.latest(callId);
            if (mine.isPresent()) {
                return mine;
            }
        }
        return Optional.ofNullable(found).map(Checkpoint::state);
    }

    /** A map entry this member wrote and nobody claimed: the steps held here since are newer. */
    private boolean ours(Checkpoint c) {
        return member.equals(c.member()) && c.claimedBy() == null;
    }

    /**
     * One {@code putIfAbsent} (with the TTL): the checkpoint a call the dialplan sent again resumes from, or, for a new
     * call, {@code first} stored as its first checkpoint, where a {@code get} and, once the call's opening ran, a
     * {@code set} took two operations (and the set a common-pool task). The call's thread waits for it, as it waited
     * for the {@code get}; with {@link Durability#BACKUP_ACK} it is acknowledged by the backups before it returns, as
     * that durability's writes are. A value in the slot that is not this call's (see
     * {@link dev.ivr.server.wire.ClusterValue#belongsTo}) is replaced, and a cluster problem falls back to
     * {@link #save}: either way {@code first} is sent, and the call starts as a new one.
     *
     * <p>A claim that finds nothing makes the call one of this member's own ({@link HeldCheckpoints#claimed}): its
     * steps are held while the member is alone. One that finds this member's own entry (the call failed here and the
     * dialplan sent it again) answers the newest state held here, if any. One that finds another member's entry (the
     * call was resumed from a member that left, or was claimed by a survivor) answers it, and the call's steps are
     * written to the map whatever the membership: its new owner must show there.
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
            Optional<String> mine = held.latest(callId); // its claim expired while its steps were held here
            if (mine.isPresent()) {
                return mine;
            }
            held.claimed(callId, first);
            return Optional.empty();
        }
        if (!found.belongsTo(callId)) {
            held.forget(callId);
            save(callId, first);
            return Optional.empty();
        }
        if (ours(found)) {
            Optional<String> mine = held.latest(callId);
            if (mine.isPresent()) {
                return mine;
            }
            held.claimed(callId, found.state()); // this member's call still: its steps may be held
            return Optional.of(found.state());
        }
        held.forget(callId);
        return Optional.of(found.state());
    }

    @Override
    public boolean claims() {
        return true;
    }

    @Override
    public void delete(String callId) {
        CompletableFuture<?> flushing = held.forget(callId); // first: a flush that comes later finds nothing to write
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
                awaitFlush(flushing);
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
