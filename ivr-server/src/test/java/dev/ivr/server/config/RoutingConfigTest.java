package dev.ivr.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingConfigTest {
    @TempDir
    Path dir;

    @Test
    void theExampleFlowsQueuesExistOutOfTheBoxAndAmiIsOff() {
        IvrConfig c = ConfigLoader.load(Map.of());
        assertThat(c.routing().enabled()).isTrue();
        assertThat(c.routing().dialMode()).isEqualTo("exec");
        assertThat(c.routing().queues()).extracting(QueueConfig::id).containsExactly("billing", "support", "sales");
        QueueConfig billing = c.routing().queue("billing").orElseThrow();
        assertThat(billing.skills()).containsEntry("billing", 1);
        assertThat(billing.relaxation()).singleElement().satisfies(r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(c.ami().enabled()).isFalse();
        assertThat(ConfigLoader.load(Path.of("..", "config", "ivr.yaml"), Map.of()).routing().queues()).hasSize(3);
    }

    @Test
    void queuesAreReadWithTheirRulesAndTheAmiSecretFromTheEnvironment() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                routing:
                  dial-mode: dialplan
                  queues:
                    - id: vip
                      skills: {billing: 7, french: 3}
                      priority: 10
                      relaxation:
                        - after: 30s
                          skills: {french: 0}
                          add-queues: [general]
                      max-wait: 2m
                      max-wait-target: voicemail
                      ring-time: 15s
                      match-language: false
                    - id: general
                ami:
                  enabled: true
                  secret: ${AMI_SECRET_FOR_TEST}
                """);
        IvrConfig c = ConfigLoader.load(f, Map.of("AMI_SECRET_FOR_TEST", "s3cret-from-env"));
        assertThat(c.routing().dialMode()).isEqualTo("dialplan");
        QueueConfig vip = c.routing().queue("vip").orElseThrow();
        assertThat(vip.skills()).containsEntry("billing", 7).containsEntry("french", 3);
        assertThat(vip.relaxation().get(0).addQueues()).containsExactly("general");
        assertThat(vip.effectiveMatchLanguage()).isFalse();
        assertThat(c.routing().queue("general").orElseThrow().effectiveRingTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.ami().secret()).isEqualTo("s3cret-from-env");
        assertThat(c.ami().toString()).doesNotContain("s3cret");
    }

    @Test
    void badRoutingSettingsAreReportedWithTheirPlace() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                routing:
                  dial-mode: magic
                  pre-dial-handler: "bad,context"
                  reservation-ttl: 20s
                  queues:
                    - id: a
                      skills: {billing: 11}
                      ring-time: 15s
                      relaxation:
                        - after: 10s
                          add-queues: [nowhere]
                    - id: a
                      service-level: 1.5
                    - id: c
                      wrap-up-codes: [resolved, "bad code", resolved]
                      wrap-up-extension: -1s
                    - id: d
                      wrap-up-code-required: true
                ami:
                  enabled: true
                  secret: ""
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing.dial-mode: must be exec or dialplan")
                .hasMessageContaining("routing.pre-dial-handler: must be a dialplan context name")
                .hasMessageContaining("routing.queues[0].skills.billing: level must be 1 to 10")
                .hasMessageContaining("routing.queues[0].relaxation[0].add-queues: no queue 'nowhere'")
                .hasMessageContaining("routing.queues[0].ring-time: must be at least 10s shorter than routing.reservation-ttl")
                .hasMessageContaining("routing.queues[1].id: 'a' is used twice")
                .hasMessageContaining("routing.queues[1].service-level: must be a fraction between 0 and 1")
                .hasMessageContaining("ami.secret: must not be empty")
                .hasMessageContaining("routing.queues[2].wrap-up-codes: codes are 1-64 letters")
                .hasMessageContaining("routing.queues[2].wrap-up-codes: 'resolved' is listed twice")
                .hasMessageContaining("routing.queues[2].wrap-up-extension: '-1s' is not a duration")
                .hasMessageContaining("routing.queues[3].wrap-up-code-required: is true but wrap-up-codes lists no code")
                .hasMessageContaining("ivr.yaml:2:");
    }

    @Test
    void anUnknownQueueKeyIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                routing:
                  queues:
                    - id: a
                      ringtime: 10s
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("routing.queues[0].ringtime: unknown key");
    }

    @Test
    void thePbxAffinityIsPreferAtOnceByDefaultAndABadOneIsRefusedWithItsKey() throws IOException {
        IvrConfig d = ConfigLoader.load(Map.of());
        assertThat(d.routing().pbxAffinity()).isEqualTo("prefer");
        assertThat(d.routing().pbxAffinityWait()).isEqualTo(Duration.ZERO);
        Path ok = Files.writeString(dir.resolve("ok.yaml"), """
                routing:
                  pbx-affinity: require
                  pbx-affinity-wait: 15s
                """);
        IvrConfig c = ConfigLoader.load(ok, Map.of());
        assertThat(c.routing().pbxAffinity()).isEqualTo("require");
        assertThat(c.routing().pbxAffinityWait()).isEqualTo(Duration.ofSeconds(15));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                routing:
                  pbx-affinity: nearest
                """);
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing.pbx-affinity: must be prefer, require or ignore (got nearest)");
    }
}
