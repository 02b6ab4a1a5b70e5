package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueOverrideTest {
    static final QueueConfig BILLING = new QueueConfig("billing", "Billing", Map.of("billing", 2), 1, null, 0.8,
            Duration.ofSeconds(20), List.of(), null, null, Duration.ofSeconds(20), Duration.ofSeconds(15), null, null,
            null, List.of("resolved"), true, null, null);

    @Test
    void keysPresentReplaceTheConfiguredValuesAndTheRestStay() {
        QueueOverride o = QueueOverride.parse("{\"wrap-up\": \"30s\", \"priority\": 5, \"wrap-up-codes\": [\"a\", \"b\"],"
                + " \"skills\": {\"billing\": 4}, \"service-level\": null}");
        assertThat(o.keys()).containsExactly("wrap-up", "priority", "wrap-up-codes", "skills");
        QueueConfig q = o.applyTo(BILLING);
        assertThat(q.wrapUp()).isEqualTo(Duration.ofSeconds(30));
        assertThat(q.priority()).isEqualTo(5);
        assertThat(q.wrapUpCodes()).containsExactly("a", "b");
        assertThat(q.skills()).containsExactly(Map.entry("billing", 4));
        assertThat(q.serviceLevel()).isEqualTo(0.8);
        assertThat(q.ringTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(q.id()).isEqualTo("billing");
        assertThat(QueueOverride.parse(o.json())).isEqualTo(o);
        assertThat(QueueOverride.NONE.applyTo(BILLING)).isSameAs(BILLING);
    }

    @Test
    void badInputIsRefusedWithTheKeyAndWhy() {
        assertThatThrownBy(() -> QueueOverride.parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> QueueOverride.parse("{\"id\": \"x\"}")).hasMessageContaining("'id' is not a queue setting");
        assertThatThrownBy(() -> QueueOverride.parse("{\"colour\": 1}")).hasMessageContaining("known: name, skills");
        assertThatThrownBy(() -> QueueOverride.parse("{\"wrap-up\": \"soon\"}"))
                .hasMessageContaining("wrap-up: must be a duration");
        assertThatThrownBy(() -> QueueOverride.parse("{\"wrap-up-code-required\": \"maybe\"}"))
                .hasMessageContaining("wrap-up-code-required: must be true or false");
        assertThatThrownBy(() -> QueueOverride.parse("{")).hasMessageContaining("not JSON");
    }

    @Test
    void theConfigurationCheckJudgesTheChangedQueue() {
        Set<String> ids = Set.of("billing", "support");
        assertThat(QueueOverride.parse("{\"wrap-up\": \"10s\"}").problems(BILLING, ids)).isEmpty();
        assertThat(QueueOverride.parse("{\"wrap-up-codes\": []}").problems(BILLING, ids))
                .singleElement().asString().startsWith("wrap-up-code-required");
        assertThat(QueueOverride.parse("{\"service-level\": 2}").problems(BILLING, ids))
                .singleElement().asString().startsWith("service-level: must be a fraction");
        assertThat(QueueOverride.parse("{\"relaxation\": [{\"after\": \"30s\", \"add-queues\": [\"nowhere\"]}]}")
                .problems(BILLING, ids)).singleElement().asString().contains("no queue 'nowhere'");
    }

    @Test
    void describedWithTheConfigurationsKeysAndForms() {
        var json = QueueOverride.describe(BILLING);
        assertThat(json.get("wrap-up").asText()).isEqualTo("15s");
        assertThat(json.get("wrap-up-codes").get(0).asText()).isEqualTo("resolved");
        assertThat(json.get("skills").get("billing").asInt()).isEqualTo(2);
        assertThat(json.get("max-wait").isNull()).isTrue();
        assertThat(json.has("id")).isTrue();
    }
}
