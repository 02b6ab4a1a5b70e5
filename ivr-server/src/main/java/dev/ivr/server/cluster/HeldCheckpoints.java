package dev.ivr.server.cluster;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest checkpoint of each call whose entry in the cluster's checkpoint map is this member's own (its claim),
 * kept in this member's memory; while the member is {@linkplain #membership alone} in its cluster, the only copy of
 * every checkpoint after the claim ({@link HazelcastCheckpoints}).
 *
 * <p>Why: a cluster of one member keeps its map in that member's heap, without a backup anywhere; if the member dies,
 * the checkpoints die with it and nobody can resume or record a call from them. Writing each step to the map there
 * crossed three threads (the call's, {@code ivr-cluster-op}, a partition thread, the common pool) and protected
 * nothing. Held here, a step is one {@link ConcurrentHashMap#computeIfPresent} on the call's thread.
 *
 * <p>When a second member joins, {@link #membership}{@code (false, flush)} hands every state held since the last
 * write to the map to {@code flush}, once; from then on {@link #save} answers {@code false} (the caller writes the
 * state through, as before) for as long as the cluster has other members; alone again, saves are held again. No
 * state is lost to a race: a save, the flush of the same call, and the removal at the call's end each run under the
 * call's entry's lock, and the flush reads the membership flag after setting it, so a save either is held before the
 * flush looks at its call (the flush writes it) or sees the cluster grown (its caller writes it, after anything the
 * flush handed over for that call, which the caller's write path keeps in order).
 *
 * <p>Entries live {@code ttl} after their last save, as the map's entries do after their last write: {@link #sweep}
 * removes older ones (a call that failed keeps its checkpoint for the dialplan to bring it back, but not for ever).
 */
final class HeldCheckpoints {
    /** Writes a held state to the cluster's map, called under the call's entry's lock: must not block. */
    interface Flush {
        /** @return what a synchronous write of the same call must wait for first (null: nothing) */
        CompletableFuture<?> write(String callId, String state);
    }

    private static final class Held {
        String state;
        long savedAt;
        /** Saved while alone: not in the cluster's map yet. */
        boolean pending;
        /** The flush's write of this call, when it was handed over without an order of its own (null: none). */
        CompletableFuture<?> flushing;

        Held(String state, long savedAt) {
            this.state = state;
            this.savedAt = savedAt;
        }
    }

    private final ConcurrentHashMap<String, Held> calls = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final LongSupplier millis;
    /** False until the first {@link #membership}: every save is written through until the cluster is known. */
    private volatile boolean alone;

    /** @param millis a monotonic clock in milliseconds */
    HeldCheckpoints(long ttlMillis, LongSupplier millis) {
        this.ttlMillis = ttlMillis;
        this.millis = millis;
    }

    /** Whether saves are held now (the member was alone in its cluster at the last {@link #membership}). */
    boolean alone() {
        return alone;
    }

    /** A call whose entry in the map this member has just written ({@code state}, its claim): its saves may be held. */
    void claimed(String callId, String state) {
        calls.put(callId, new Held(state, millis.getAsLong()));
    }

    /**
     * The call's newest state: kept here, and answers true while the member is alone; otherwise (the cluster has
     * other members, or the call's map entry is not this member's) answers false: the caller writes it to the map.
     */
    boolean save(String callId, String state) {
        boolean[] held = {false};
        calls.computeIfPresent(callId, (k, h) -> {
            h.state = state;
            h.savedAt = millis.getAsLong();
            h.pending = alone;
            held[0] = h.pending;
            return h;
        });
        return held[0];
    }

    /** The newest state this member saved of the call, if it holds the call. */
    Optional<String> latest(String callId) {
        String[] state = {null};
        calls.computeIfPresent(callId, (k, h) -> {
            state[0] = h.state;
            return h;
        });
        return Optional.ofNullable(state[0]);
    }

    /** What a synchronous write of the call waits for first: the flush's write of it still on its way, if any. */
    CompletableFuture<?> flushing(String callId) {
        Object[] f = {null};
        calls.computeIfPresent(callId, (k, h) -> {
            f[0] = h.flushing;
            return h;
        });
        return (CompletableFuture<?>) f[0];
    }

    /**
     * No longer held (the call ended, or its map entry is another member's now): answers what its delete must come
     * after (the flush's write of it on its way without an order of its own), or null.
     */
    CompletableFuture<?> forget(String callId) {
        Held h = calls.remove(callId);
        return h == null ? null : h.flushing;
    }

    /**
     * The cluster's membership changed (or is first known): {@code aloneNow} whether this member is its only one.
     * Not alone: every state held since the last write to the map goes to {@code flush}, once. Calls of one thread at
     * a time.
     *
     * @return how many states were handed to {@code flush}
     */
    int membership(boolean aloneNow, Flush flush) {
        alone = aloneNow; // before the flush looks at any call: a save after its look is written by its caller
        if (aloneNow) {
            return 0;
        }
        int[] written = {0};
        for (String callId : calls.keySet()) {
            calls.computeIfPresent(callId, (k, h) -> {
                if (!h.pending) {
                    return h;
                }
                if (millis.getAsLong() - h.savedAt >= ttlMillis) {
                    return null; // expired, as its map entry would have
                }
                h.pending = false;
                h.flushing = flush.write(k, h.state);
                written[0]++;
                return h;
            });
        }
        return written[0];
    }

    /** Removes the calls saved last {@code ttl} ago or more; answers how many. */
    int sweep() {
        long now = millis.getAsLong();
        int[] removed = {0};
        for (String callId : calls.keySet()) {
            calls.computeIfPresent(callId, (k, h) -> {
                if (now - h.savedAt < ttlMillis) {
                    return h;
                }
                removed[0]++;
                return null;
            });
        }
        return removed[0];
    }

    /** How many calls are held (tests, logs). */
    int size() {
        return calls.size();
    }

    /** How many calls have a state not in the map yet. */
    int pending() {
        int[] n = {0};
        for (String callId : calls.keySet()) {
            calls.computeIfPresent(callId, (k, h) -> {
                if (h.pending) {
                    n[0]++;
                }
                return h;
            });
        }
        return n[0];
    }
}
