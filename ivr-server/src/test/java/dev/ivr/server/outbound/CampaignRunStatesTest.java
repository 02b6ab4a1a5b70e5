package dev.ivr.server.outbound;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * One {@link CampaignRunStates} per server serves the dialer and the HTTP routes: what the routes'
 * {@link Campaigns} read and write goes through their own store (the HTTP pool), never through the
 * dialer's (the calls' pool); the map is the same. (The cluster behaviour: CampaignRunStatesIT.)
 */
class CampaignRunStatesTest {
    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");

    @SuppressWarnings("unchecked")
    private static IMap<String, String> map() {
        return mock(IMap.class);
    }

    @Test
    void theRoutesCampaignsUseTheirOwnStoreAndTheSharedMap() throws Exception {
        IMap<String, String> map = map();
        when(map.addEntryListener(any(com.hazelcast.map.listener.MapListener.class), anyBoolean())).thenReturn(UUID.randomUUID());
        HazelcastInstance hazelcast = mock(HazelcastInstance.class);
        when(hazelcast.<String, String>getMap(CampaignRunStates.MAP)).thenReturn(map);
        CampaignStore dialers = mock(CampaignStore.class);
        CampaignStore routes = mock(CampaignStore.class);
        when(routes.status("blast")).thenReturn(Optional.of("running"));
        CampaignRunStates states = new CampaignRunStates(hazelcast, dialers);
        CampaignConfig campaign = new CampaignConfig("blast", null, "payment-reminder", "payment-late", null, 3, 1, Map.of(),
                List.of("monday"), "00:00", "23:59", "UTC", null);
        OutboundConfig outbound = new OutboundConfig(true, "PJSIP/{number}@trunk", "ivr-outbound", Duration.ofMillis(200),
                Duration.ofSeconds(30), Duration.ofMinutes(5), List.of(campaign));
        Campaigns campaigns = new Campaigns(outbound, routes, null, Clock.fixed(NOW, ZoneOffset.UTC)).runStates(states);

        assertThat(campaigns.set("blast", "paused")).isTrue();

        verify(routes).setStatus("blast", "paused", NOW);
        verify(map).set("blast", "paused");
        verifyNoInteractions(dialers);

        when(map.get("blast")).thenReturn("paused");
        states.publish(routes, "blast");
        verify(map).replace("blast", "paused", "running");
        verifyNoInteractions(dialers);
    }
}
