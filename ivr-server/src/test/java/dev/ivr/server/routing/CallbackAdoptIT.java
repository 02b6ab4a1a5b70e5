package dev.ivr.server.routing;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.callback.CallbackStore;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A callback booked while its database write outlasts the claim's lease (a slow or cut database; the load
 * generator's accelerated day made it happen): the sweep that runs meanwhile must not take the entry for an orphan.
 * It did: it claimed it, found the call still queued on this node, handed the claim back, and the waiting thread
 * started after lost its claim at its first renewal; the call then stayed queued with nobody waiting for its offers
 * (re-offered every reservation-ttl, an agent's logout refused). A real Hazelcast member holds the entries.
 */
@Tag("integration")
class CallbackAdoptIT {
    static final Duration LEASE = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    ClusterMember member;
    CallbackDispatcher dispatcher;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "adopt-" + UUID.randomUUID())).cluster();
        member = ClusterMember.start(cluster, "a", dir.resolve("a"));
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        member.close();
    }

    @Test
    void aSweepDuringTheBookingsSlowDatabaseWriteLeavesTheCallbackToItsOwnThread() throws Exception {
        String id = "1796333399.73";
        RoutingService router = mock(RoutingService.class);
        when(router.nodeId()).thenReturn("node-a");
        QueuePosition place = new QueuePosition(id, "support", 1, 1, Duration.ofSeconds(76), null);
        // the call keeps its place in this node's queue: routing does not hand it to another owner
        when(router.adopt(id)).thenReturn(Optional.empty());
        when(router.position(id)).thenReturn(Optional.of(place));
        when(router.awaitAgent(anyString(), any())).thenAnswer(x -> {
            Thread.sleep(Duration.ofSeconds(30));
            return new WaitResult.Waiting(place);
        });
        AtomicReference<CallbackDispatcher> self = new AtomicReference<>();
        AtomicInteger saves = new AtomicInteger();
        CallbackStore store = mock(CallbackStore.class);
        when(store.open()).thenReturn(List.of());
        doAnswer(x -> {
            if (saves.incrementAndGet() == 1) {
                // the first write of the booking takes longer than the lease, and a sweep runs meanwhile
                clock.advance(LEASE.plusSeconds(5));
                self.get().sweep();
            }
            return true;
        }).when(store).save(any(StoredCallback.class));
        HazelcastInstance hz = member.hazelcast();
        String mapName = "callbacks-" + UUID.randomUUID();
        dispatcher = new CallbackDispatcher(router, null, null, null, null, null, null, null, "ivr-callback",
                new CallbackDispatcher.Settings(Duration.ofHours(1), 3, Duration.ofMinutes(5), LEASE,
                        Duration.ofHours(1)), clock, "a", hz, mapName, store, req -> null, Set.of("support"));
        self.set(dispatcher);
        RouteRequest request = new RouteRequest(id, "day", "queue", "+36203883461", "support", Map.of(), 0, Map.of(),
                Duration.ofMinutes(10), null, Set.of(), null, null, RouteRequest.Journey.NONE, null);
        Instant queuedAt = clock.instant().minusSeconds(76);

        dispatcher.adopt(new CallbackDispatcher.Callback(request, null, "+36203883461", queuedAt, clock.instant(),
                null));

        assertThat(saves).as("the booking was written").hasPositiveValue();
        CallbackEntry booked = hz.<String, CallbackEntry>getMap(mapName).get(id);
        assertThat(booked.owner()).as("still this node's").isEqualTo("node-a");
        assertThat(dispatcher.pending()).as("its thread waits for an agent").isEqualTo(1);

        dispatcher.sweep(); // renews this node's claim
        assertThat(hz.<String, CallbackEntry>getMap(mapName).get(id).owner()).isEqualTo("node-a");
        assertThat(dispatcher.pending()).as("the claim was not lost: the thread still waits").isEqualTo(1);
    }
}
