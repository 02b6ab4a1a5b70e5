package dev.ivr.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.server.desk.exits.IvrExits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a call of the load generator's simple flow asks of the cluster, counted on a real member by Hazelcast's own
 * statistics (docs/benchmarks.md, issue 16, twelfth, fourteenth and twenty-eighth rounds): the call's claim (one
 * checkpoint as it starts, at "welcome": the {@code putIfAbsent} that also reads the checkpoint a call sent again
 * by the dialplan resumes from, a new one cannot be told apart), the delete once its interaction is durable, and the
 * calls' ends counted together for the desk (IvrExits, batched); nothing else. The checkpoints as it comes to each
 * other node where it waits (main-menu, enter-code, confirm; none at the set node "remember" or the hangup node
 * "goodbye") are held in the member's own memory: it is alone in its cluster, where the map has no backup to keep
 * them anywhere else ({@link HeldCheckpoints}); with another member they are writes, see LoneMemberCheckpointsIT.
 */
@Tag("integration")
class CallClusterOpsIT {
    static final int CALLS = 10;

    @ParameterizedTest(name = "checkpoint durability {0}")
    @ValueSource(strings = {"async", "backup-ack"})
    void aSimpleFlowCallOnALoneMemberClaimsAndDeletesItsCheckpointAndNothingElse(String durability, @TempDir Path dir)
            throws Exception {
        // either durability: a lone member holds the steps; nothing to coalesce (async) or to acknowledge (backup-ack)
        try (SimpleFlowCalls calls = new SimpleFlowCalls(dir, durability)) {
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
            // the steps at main-menu, enter-code and confirm: held in the lone member's memory, not written
            assertThat(d.getOrDefault(cp + " / set", 0L)).isZero();
            assertThat(d.getOrDefault(cp + " / get", 0L)).isZero();
            assertThat(d.getOrDefault(cp + " / remove", 0L)).isEqualTo(1L * CALLS);
            assertThat(d.getOrDefault(cp + " / other", 0L)).isZero();
            // the desk's count of calls' ends: sent together (an entry processor per key every 250 ms at most; Hazelcast
            // counts it as a put)
            assertThat(d.get(IvrExits.MAP + " / put")).isBetween(1L, (long) CALLS);
            assertThat(d.keySet()).allSatisfy(k -> assertThat(k).satisfiesAnyOf(
                    x -> assertThat(x).startsWith(cp + " / "), x -> assertThat(x).startsWith(IvrExits.MAP + " / "),
                    x -> assertThat(x).startsWith("* / ")));

            // what the claim of one call weighs (its JSON), for the record (the steps after it are held)
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
            await().until(() -> sizes.size() == 1);
            System.out.println("the claim's JSON size (chars): " + sizes);
        }
    }
}
