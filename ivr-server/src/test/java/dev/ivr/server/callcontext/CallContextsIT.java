package dev.ivr.server.callcontext;

import dev.ivr.server.testing.OneMember;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class CallContextsIT {
    @RegisterExtension
    static final OneMember CLUSTER = new OneMember("contexts");

    @Test
    void storedWithATimeToLiveAndOneKeyForTheCluster() {
        CallContexts contexts = new CallContexts(CLUSTER.hazelcast(), Duration.ofSeconds(2));
        CallContext ctx = new CallContext("1.1", "+3612345678", "customer-service", "c-1", "Anna Kovacs", "gold",
                Map.of("segment", "retail"), "OK", "billing", Map.of("reason", "billing"),
                List.of("main-menu", "to-billing"), Map.of("pin", "****"), Duration.ofSeconds(42),
                Duration.ofSeconds(7), "billing", "a-1", Instant.now(), false);
        contexts.put(ctx);
        assertThat(contexts.get("1.1")).contains(ctx);
        await().atMost(Duration.ofSeconds(20)).until(() -> contexts.get("1.1").isEmpty());

        ContextTokens a = ContextTokens.forCluster(CLUSTER.hazelcast());
        ContextTokens b = ContextTokens.forCluster(CLUSTER.hazelcast());
        assertThat(b.verify(a.token("1.1"))).contains("1.1");
    }
}
