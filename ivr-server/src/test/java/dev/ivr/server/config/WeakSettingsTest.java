package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeakSettingsTest {
    @Test
    void theDefaultsAndTheShippedFileHaveNone() {
        assertThat(WeakSettings.of(ConfigLoader.load(Map.of()))).isEmpty();
        assertThat(WeakSettings.of(ConfigLoader.load(java.nio.file.Path.of("..", "config", "ivr.yaml"), Map.of()))).isEmpty();
    }

    @Test
    void cheapPinHashesAreWeak() {
        assertThat(keys(Map.of("IVR_CRM_PIN_HASH_MEMORY", "8", "IVR_CRM_PIN_HASH_ITERATIONS", "1"))).containsExactly("crm.pin-hash");
        assertThat(keys(Map.of("IVR_CRM_PIN_HASH_MEMORY", "19456", "IVR_CRM_PIN_HASH_ITERATIONS", "1"))).containsExactly("crm.pin-hash");
        // OWASP's equivalent settings are not
        assertThat(keys(Map.of("IVR_CRM_PIN_HASH_MEMORY", "47104", "IVR_CRM_PIN_HASH_ITERATIONS", "1"))).isEmpty();
        assertThat(keys(Map.of("IVR_CRM_PIN_HASH_MEMORY", "7168", "IVR_CRM_PIN_HASH_ITERATIONS", "5"))).isEmpty();
    }

    @Test
    void anAllowlistOpenToTheInternetIsWeakOnlyWhereOtherHostsCanConnect() {
        assertThat(keys(Map.of("IVR_AGI_BIND", "0.0.0.0", "IVR_AGI_ALLOW", "0.0.0.0/0"))).containsExactly("agi.allow");
        assertThat(keys(Map.of("IVR_AGI_BIND", "10.0.0.1", "IVR_AGI_ALLOW", "10.0.0.5/32,::/0"))).containsExactly("agi.allow");
        assertThat(keys(Map.of("IVR_AGI_BIND", "0.0.0.0", "IVR_AGI_ALLOW", "10.0.0.0/8,192.168.0.0/16"))).isEmpty();
        assertThat(keys(Map.of("IVR_AGI_ALLOW", "0.0.0.0/0"))).as("bound to loopback: only this host").isEmpty();
        assertThat(keys(Map.of("IVR_AGI_ALLOW", "0.0.0.0/0", "IVR_SPEECH_BIND", "0.0.0.0",
                "IVR_SPEECH_ADVERTISE", "10.0.0.1:9092"))).containsExactly("speech.allow");
        assertThat(keys(Map.of("IVR_HTTP_BIND", "0.0.0.0", "IVR_PROMPTS_DELIVERY", "http", "IVR_PROMPTS_HTTP_ALLOW", "1.0.0.0/1")))
                .containsExactly("prompts.http-allow");
        assertThat(keys(Map.of("IVR_CRM_LOCKOUT_MAX_FAILURES", "50"))).containsExactly("crm.lockout");
    }

    @Test
    void anEndpointOverPlainHttpToAnotherHostIsWeak(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("ivr.yaml"), """
                integrations:
                  endpoints:
                    - {name: local, url: "http://127.0.0.1:8081/api"}
                    - {name: named-local, url: "http://localhost:8081"}
                    - {name: tls, url: "https://orders.example.com"}
                    - {name: clear, url: "http://orders.example.com", secret-headers: {Authorization: "Bearer x"}}
                """);
        var weak = WeakSettings.of(ConfigLoader.load(f, Map.of()));
        assertThat(weak).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo("integrations.endpoints");
            assertThat(w.problem()).contains("endpoint clear is plain http").contains("secrets included");
            assertThat(w.advice()).isEqualTo("use https");
        });
    }

    @Test
    void acceptingAWeakSettingByNameTakesItFromTheRefusedToTheAccepted() {
        IvrConfig c = ConfigLoader.load(Map.of("IVR_AGI_BIND", "0.0.0.0", "IVR_AGI_ALLOW", "0.0.0.0/0",
                "IVR_CRM_PIN_HASH_MEMORY", "1024", "IVR_NODE_ACCEPT_WEAK_SETTINGS", "crm.pin-hash"));
        assertThat(WeakSettings.refused(c)).extracting(WeakSettings.Weakness::key).containsExactly("agi.allow");
        assertThat(WeakSettings.accepted(c)).extracting(WeakSettings.Weakness::key).containsExactly("crm.pin-hash");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IVR_NODE_ACCEPT_WEAK_SETTINGS", "everything")))
                .hasMessageContaining("node.accept-weak-settings[0]: 'everything' is not one of crm.pin-hash");
    }

    private static java.util.List<String> keys(Map<String, String> env) {
        return WeakSettings.of(ConfigLoader.load(env)).stream().map(WeakSettings.Weakness::key).toList();
    }
}
