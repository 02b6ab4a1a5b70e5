package dev.ivr.server.desk;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CallContextsIT {
    static HazelcastInstance hz;

    @BeforeAll
    static void start() {
        Config c = new Config().setClusterName("ctx-" + UUID.randomUUID());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.getNetworkConfig().setPort(17801).getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        hz = Hazelcast.newHazelcastInstance(c);
    }

    @AfterAll
    static void stop() {
        hz.shutdown();
    }

    @Test
    void storedWithATimeToLiveAndOneKeyForTheCluster() {
        CallContexts contexts = new CallContexts(hz, Duration.ofSeconds(2));
        CallContext ctx = new CallContext("1.1", "+3612345678", "customer-service", "c-1", "Anna Kovacs", "gold",
                Map.of("segment", "retail"), "OK", "billing", Map.of("reason", "billing"),
                List.of("main-menu", "to-billing"), Map.of("pin", "****"), Duration.ofSeconds(42),
                Duration.ofSeconds(7), "billing", "a-1", Instant.now(), false);
        contexts.put(ctx);
        assertThat(contexts.get("1.1")).contains(ctx);
        await().atMost(Duration.ofSeconds(20)).until(() -> contexts.get("1.1").isEmpty());

        ContextTokens a = ContextTokens.forCluster(hz);
        ContextTokens b = ContextTokens.forCluster(hz);
        assertThat(b.verify(a.token("1.1"))).contains("1.1");
    }
}
