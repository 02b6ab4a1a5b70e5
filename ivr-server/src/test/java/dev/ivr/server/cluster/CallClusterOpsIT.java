package dev.ivr.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.server.desk.exits.IvrExits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a call of the load generator's simple flow asks of the cluster, counted on a real member by Hazelcast's own
 * statistics (docs/benchmarks.md, issue 16, twelfth and fourteenth rounds): the call's checkpoints (one as it
 * starts, at "welcome", saved by the claim: the {@code putIfAbsent} that also reads the checkpoint a call sent again
 * by the dialplan resumes from, a new one cannot be told apart; one as it comes to each other node where it waits:
 * main-menu, enter-code, confirm; none as it comes to the set node "remember" or the hangup node "goodbye"), the
 * delete once its interaction is durable, and the
 * calls' ends counted together for the desk (IvrExits, batched); nothing else.
 */
@Tag("integration")
class CallClusterOpsIT {
    static final int CALLS = 10;

    @Test
    void aSimpleFlowCallClaimsWritesThreeCheckpointsAndOneDeleteAndNothingElsePerCall(@TempDir Path dir) throws Exception {
        // backup-ack: each checkpoint is written before the call goes on, so none is coalesced with the next (async
        // sends only the newest of those a call makes while one is on its way: fewer writes, by timing) and the
        // counts are exact; the flow engine checkpoints the same nodes whatever the durability
        try (SimpleFlowCalls calls = new SimpleFlowCalls(dir, "backup-ack")) {
            CallResult first = calls.call("0000");
            assertThat(first.variable("BENCH_CODE")).as("%s", first.commands()).isEqualTo("0000"); // warm-up: the maps exist
            await().until(() -> calls.checkpointsHeld() == 0);
            Map<String, Long> before = calls.counts();
            for (int i = 0; i < CALLS; i++) {
                CallResult r = calls.call(String.format("%04d", 1000 + i));
                assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.SERVER);
                assertThat(r.variable("BENCH_CODE")).isEqualTo(String.format("%04d", 1000 + i));
            }
            // every call's delete reached the member, and the calls' ends were counted for the desk
            await().until(() -> calls.checkpointsHeld() == 0);
            System.out.println("after the deletes: " + SimpleFlowCalls.delta(before, calls.counts()));
            await().until(() -> SimpleFlowCalls.delta(before, calls.counts()).keySet().stream()
                    .anyMatch(k -> k.startsWith(IvrExits.MAP)));
            Map<String, Long> d = SimpleFlowCalls.delta(before, calls.counts());
            System.out.println("Hazelcast operations of " + CALLS + " simple-flow calls: " + d);

            String cp = HazelcastCheckpoints.MAP;
            // the claim (putIfAbsent) as the call starts: the look-up for a checkpoint to resume from and the first
            // checkpoint in one operation (the opening of the simple flow changes nothing: no set after it)
            assertThat(d.getOrDefault(cp + " / put", 0L)).isEqualTo(1L * CALLS);
            assertThat(d.getOrDefault(cp + " / set", 0L)).isEqualTo(3L * CALLS);
            assertThat(d.getOrDefault(cp + " / get", 0L)).isZero();
            assertThat(d.getOrDefault(cp + " / remove", 0L)).isEqualTo(1L * CALLS);
            assertThat(d.getOrDefault(cp + " / other", 0L)).isZero();
            // the desk's count of calls' ends: sent together (an entry processor per key every 250 ms at most; Hazelcast
            // counts it as a put)
            assertThat(d.get(IvrExits.MAP + " / put")).isBetween(1L, (long) CALLS);
            assertThat(d.keySet()).allSatisfy(k -> assertThat(k).satisfiesAnyOf(
                    x -> assertThat(x).startsWith(cp + " / "), x -> assertThat(x).startsWith(IvrExits.MAP + " / "),
                    x -> assertThat(x).startsWith("* / ")));

            // what the checkpoints of one call weigh (their JSON), for the record
            List<Integer> sizes = new CopyOnWriteArrayList<>();
            IMap<String, HazelcastCheckpoints.Checkpoint> map = calls.hazelcast().getMap(cp);
            class Sizes implements EntryAddedListener<String, HazelcastCheckpoints.Checkpoint>,
                    EntryUpdatedListener<String, HazelcastCheckpoints.Checkpoint> {
                @Override
                public void entryAdded(EntryEvent<String, HazelcastCheckpoints.Checkpoint> e) {
                    sizes.add(e.getValue().state().length());
                }

                @Override
                public void entryUpdated(EntryEvent<String, HazelcastCheckpoints.Checkpoint> e) {
                    sizes.add(e.getValue().state().length());
                }
            }
            map.addEntryListener(new Sizes(), true);
            calls.call("4321");
            await().until(() -> sizes.size() == 4);
            System.out.println("checkpoint JSON sizes of one call (chars): " + sizes);
        }
    }
}
