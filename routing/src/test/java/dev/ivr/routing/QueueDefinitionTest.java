package dev.ivr.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueDefinitionTest {

    @Test
    void builderAppliesDefaultsAndSortsRelaxationSteps() {
        QueueDefinition q = QueueDefinition.builder("support")
                .requireSkill("support", 5)
                .relax(RelaxationStep.after(Duration.ofSeconds(60)).addQueue("billing"))
                .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("support", 3))
                .build();

        assertThat(q.name()).isEqualTo("support");
        assertThat(q.requiredSkills()).containsExactly(Map.entry("support", 5));
        assertThat(q.relaxation()).extracting(RelaxationStep::after)
                .containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(q.relaxation().get(1).addQueues()).containsExactly("billing");
        assertThat(q.serviceLevel()).isEqualTo(ServiceLevelTarget.DEFAULT);
        assertThat(q.ringTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(q.wrapUp()).isEqualTo(Duration.ZERO);
        assertThat(q.maxWait()).isNull();
        assertThat(q.toBuilder().build()).isEqualTo(q);
    }

    @Test
    void levelsOutsideOneToTenAreRefused() {
        assertThatThrownBy(() -> QueueDefinition.builder("q").requireSkill("x", 11).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..10");
        assertThatThrownBy(() -> QueueDefinition.builder("q").requireSkill("x", 0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentProfile("a", "A", "PJSIP/1", Map.of("x", 0), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        // 0 in a relaxation step means "drop the requirement"
        assertThat(RelaxationStep.after(Duration.ZERO).skillLevel("x", 0).skillLevels()).containsEntry("x", 0);
    }

    @Test
    void languagesAreNormalised() {
        AgentProfile p = new AgentProfile("a", null, "PJSIP/1", Map.of(), Set.of(" FR ", "en"));
        assertThat(p.languages()).containsExactlyInAnyOrder("fr", "en");
        assertThat(p.name()).isEqualTo("a");
        assertThat(CallRequest.builder("c", "q").language("DE").build().language()).isEqualTo("de");
    }
}
