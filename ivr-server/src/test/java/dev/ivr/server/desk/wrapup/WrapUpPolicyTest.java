package dev.ivr.server.desk.wrapup;

import dev.ivr.server.config.QueueConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WrapUpPolicyTest {
    static QueueConfig queue(String id, List<String> codes, Boolean required, Duration extension) {
        return new QueueConfig(id, null, Map.of(), null, null, null, null, List.of(), null, null, null,
                Duration.ofSeconds(30), null, null, null, codes, required, extension, null);
    }

    @Test
    void aRequiredCodeMustBeGivenAndBeOneOfTheQueues() {
        WrapUpPolicy p = WrapUpPolicy.of(List.of(queue("billing", List.of("resolved", "follow-up"), true, null))).get("billing");
        assertThat(p.time()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.maxExtension()).as("default").isEqualTo(Duration.ofMinutes(2));
        assertThat(p.refuse(null)).hasValueSatisfying(m -> assertThat(m).contains("requires a wrap-up code", "resolved, follow-up"));
        assertThat(p.refuse("resolved")).isEmpty();
        assertThat(p.refuse("RESOLVED")).isPresent();
    }

    @Test
    void anOptionalCodeMayBeLeftOutAndAQueueWithoutCodesTakesNone() {
        Map<String, WrapUpPolicy> all = WrapUpPolicy.of(List.of(queue("sales", List.of("sold"), null, Duration.ZERO),
                queue("support", List.of(), false, null)));
        assertThat(all.keySet()).containsExactly("sales", "support");
        assertThat(all.get("sales").refuse(null)).isEmpty();
        assertThat(all.get("sales").maxExtension()).isZero();
        assertThat(all.get("support").refuse("anything")).hasValueSatisfying(m -> assertThat(m).contains("no wrap-up codes"));
        assertThat(WrapUpPolicy.none("elsewhere").refuse(null)).isEmpty();
    }
}
