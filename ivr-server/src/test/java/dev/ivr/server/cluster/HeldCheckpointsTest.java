package dev.ivr.server.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeldCheckpoints}: a lone member holds its calls' steps, hands each held one to the map once when a member
 * joins, and loses none to a save racing that hand-over.
 */
class HeldCheckpointsTest {
    static final long TTL = 60_000;

    final AtomicLong now = new AtomicLong(1_000_000);
    final HeldCheckpoints held = new HeldCheckpoints(TTL, now::get);

    /** The cluster's map as the write paths apply it: each call's writes in the order they were handed over. */
    static final class Map_ {
        final Map<String, List<String>> writes = new ConcurrentHashMap<>();
        /** When (a global sequence) each call's last write was handed over. */
        final Map<String, Long> lastWrite = new ConcurrentHashMap<>();
        static final AtomicLong SEQUENCE = new AtomicLong();

        void write(String callId, String state) {
            List<String> w = writes.computeIfAbsent(callId, k -> new ArrayList<>());
            synchronized (w) {
                w.add(state);
            }
            lastWrite.put(callId, SEQUENCE.incrementAndGet());
        }

        List<String> of(String callId) {
            List<String> w = writes.getOrDefault(callId, List.of());
            synchronized (w) {
                return List.copyOf(w);
            }
        }

        HeldCheckpoints.Flush flush() {
            return (callId, state) -> {
                write(callId, state);
                return null;
            };
        }
    }

    /** What HazelcastCheckpoints does with a save: held, or written through by the caller. */
    static void save(HeldCheckpoints held, Map_ map, String callId, String state) {
        if (!held.save(callId, state)) {
            map.write(callId, state);
        }
    }

    @Test
    void aClaimedCallsStepsAreHeldWhileTheMemberIsAloneAndWrittenThroughOtherwise() {
        Map_ map = new Map_();
        held.claimed("c1", "claim");
        assertThat(held.save("c1", "s1")).as("before the membership is known: written through").isFalse();

        held.membership(true, map.flush());
        assertThat(held.save("c1", "s2")).isTrue();
        assertThat(held.save("c1", "s3")).isTrue();
        assertThat(held.latest("c1")).contains("s3");
        assertThat(held.pending()).isEqualTo(1);

        assertThat(held.membership(false, map.flush())).isEqualTo(1);
        assertThat(map.of("c1")).as("the newest held state, once").containsExactly("s3");
        assertThat(held.pending()).isZero();
        assertThat(held.save("c1", "s4")).as("a member joined: written through").isFalse();
        assertThat(held.latest("c1")).contains("s4");
        assertThat(held.membership(false, map.flush())).as("nothing held: nothing to write again").isZero();

        held.membership(true, map.flush());
        assertThat(held.save("c1", "s5")).as("alone again: held again").isTrue();
        assertThat(map.of("c1")).containsExactly("s3");
        assertThat(held.membership(false, map.flush())).isEqualTo(1);
        assertThat(map.of("c1")).containsExactly("s3", "s5");
    }

    @Test
    void aCallThatIsNotThisMembersIsNeverHeld() {
        held.membership(true, new Map_().flush());
        assertThat(held.save("theirs", "s1")).isFalse();
        assertThat(held.latest("theirs")).isEmpty();

        held.claimed("mine", "claim");
        held.save("mine", "s1");
        held.forget("mine"); // its map entry turned out to be another member's, or it ended
        assertThat(held.save("mine", "s2")).isFalse();
        assertThat(held.latest("mine")).isEmpty();
    }

    @Test
    void aCallForgottenBeforeTheFlushIsNotWritten() {
        Map_ map = new Map_();
        held.membership(true, map.flush());
        held.claimed("ended", "claim");
        held.save("ended", "s1");
        held.claimed("going", "claim");
        held.save("going", "s1");
        held.forget("ended");

        held.membership(false, map.flush());

        assertThat(map.writes).containsOnlyKeys("going");
    }

    @Test
    void theFlushWaitedForIsTheOneOfThatCall() {
        held.membership(true, new Map_().flush());
        held.claimed("c1", "claim");
        held.save("c1", "s1");
        held.claimed("c2", "claim");
        Map<String, CompletableFuture<Void>> futures = new HashMap<>();
        held.membership(false, (callId, state) -> futures.computeIfAbsent(callId, k -> new CompletableFuture<>()));

        assertThat(futures).containsOnlyKeys("c1");
        assertThat(held.flushing("c1")).isSameAs(futures.get("c1"));
        assertThat(held.flushing("c2")).as("nothing held, nothing flushed").isNull();
        assertThat(held.forget("c1")).isSameAs(futures.get("c1"));
    }

    @Test
    void heldStatesLiveTheTimeToLiveAfterTheirLastSave() {
        Map_ map = new Map_();
        held.membership(true, map.flush());
        held.claimed("old", "claim");
        held.save("old", "s1");
        now.addAndGet(TTL / 2);
        held.claimed("young", "claim");
        held.save("young", "s1");
        now.addAndGet(TTL / 2);

        assertThat(held.sweep()).isEqualTo(1);
        assertThat(held.latest("old")).isEmpty();
        assertThat(held.latest("young")).contains("s1");

        now.addAndGet(TTL / 2);
        assertThat(held.membership(false, map.flush())).as("expired meanwhile: not brought back").isZero();
        assertThat(map.writes).isEmpty();
        assertThat(held.size()).isZero();
    }

    /**
     * Many calls' threads save while a member joins (and, in later rounds, leaves and joins again): whatever the
     * interleaving, each call's newest state ends up in the map, each state is written at most once, and in the
     * order the call saved them; a call that ends (forgotten) meanwhile is not written after its end.
     */
    @Test
    void savesRacingTheMembershipLoseNoCallsNewestState() throws Exception {
        int threads = 8;
        int callsPerThread = 40;
        for (int round = 0; round < 30; round++) {
            HeldCheckpoints h = new HeldCheckpoints(TTL, now::get);
            Map_ map = new Map_();
            h.membership(true, map.flush());
            Map<String, String> newest = new ConcurrentHashMap<>();
            Map<String, Long> ended = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> callThreads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                callThreads.add(Thread.ofPlatform().start(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int c = 0; c < callsPerThread; c++) {
                        String id = "call-" + thread + "-" + c;
                        ids.add(id);
                        h.claimed(id, "0");
                    }
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    // each call saves a different number of steps: some stop before the join, some during, some after
                    for (int step = 1; step <= 200; step++) {
                        for (String id : ids) {
                            int last = 20 + Math.floorMod(id.hashCode(), 180);
                            if (step < last || step == last && Math.floorMod(id.hashCode(), 4) != 0) {
                                save(h, map, id, Integer.toString(step));
                                newest.put(id, Integer.toString(step));
                            } else if (step == last) { // a quarter of the calls end here
                                h.forget(id);
                                ended.put(id, Map_.SEQUENCE.incrementAndGet());
                            }
                        }
                        if (step % 16 == 0) {
                            Thread.yield();
                        }
                    }
                }));
            }
            go.countDown();
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            h.membership(false, map.flush());
            if (round % 3 == 1) {
                h.membership(true, map.flush());
                h.membership(false, map.flush());
            }
            for (Thread t : callThreads) {
                t.join();
            }
            for (Map.Entry<String, Long> e : ended.entrySet()) {
                assertThat(map.lastWrite.getOrDefault(e.getKey(), 0L)).as("round %d, %s: written after its end", round,
                        e.getKey()).isLessThan(e.getValue());
                newest.remove(e.getKey());
            }
            for (Map.Entry<String, String> e : newest.entrySet()) {
                List<String> written = map.of(e.getKey());
                assertThat(written).as("round %d, %s", round, e.getKey()).isNotEmpty();
                assertThat(written.get(written.size() - 1)).as("round %d, %s: the newest state", round, e.getKey())
                        .isEqualTo(e.getValue());
                List<Integer> steps = written.stream().map(Integer::valueOf).toList();
                assertThat(steps).as("round %d, %s: in order, each once", round, e.getKey()).isSorted()
                        .doesNotHaveDuplicates();
            }
            assertThat(h.pending()).isZero();
        }
    }
}
