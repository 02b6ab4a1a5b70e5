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

/** {@code integrations.endpoints}: read with secrets from the environment, and refused where unsafe or wrong. */
class IntegrationsConfigTest {
    @TempDir
    Path dir;

    @Test
    void noEndpointsOutOfTheBox() {
        assertThat(ConfigLoader.load(Map.of()).integrations().endpoints()).isEmpty();
    }

    @Test
    void endpointsAreReadWithDefaultsAndSecretsFromTheEnvironment() throws IOException {
        Path key = Files.writeString(dir.resolve("key"), "k");
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                integrations:
                  endpoints:
                    - name: orders
                      url: https://orders.example.com/api
                      headers: {Accept-Language: en}
                      secret-headers: {Authorization: "Bearer ${ORDERS_TOKEN_FOR_TEST}"}
                      secret-header-files: {X-Api-Key: %s}
                    - name: tickets
                      url: http://127.0.0.1:8081
                      timeout: 500ms
                      breaker-open-for: 1m
                """.formatted(key));
        IvrConfig c = ConfigLoader.load(f, Map.of("ORDERS_TOKEN_FOR_TEST", "t0ken-from-env"));
        EndpointConfig orders = c.integrations().endpoints().get(0);
        assertThat(orders.secretHeaders()).containsEntry("Authorization", "Bearer t0ken-from-env");
        assertThat(orders.secretHeaderFiles()).containsEntry("X-Api-Key", key);
        assertThat(orders.effectiveTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(orders.effectiveBreakerFailureRate()).isEqualTo(50);
        EndpointConfig tickets = c.integrations().endpoints().get(1);
        assertThat(tickets.effectiveTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(tickets.effectiveBreakerOpenFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.integrations().names()).containsExactly("orders", "tickets");
    }

    @Test
    void unsafeOrWrongEndpointsAreRefusedEachWithItsKey() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                integrations:
                  endpoints:
                    - name: a
                      url: https://user:pw@example.com
                    - name: a
                      url: ftp://example.com
                    - name: "bad name"
                      url: https://example.com?x=1
                      headers: {Host: x, "Bad Header": y}
                      secret-header-files: {X-Key: /no/such/file}
                      breaker-failure-rate: 150
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("integrations.endpoints[0].url: must not carry credentials")
                .hasMessageContaining("integrations.endpoints[1].name: 'a' is configured twice")
                .hasMessageContaining("integrations.endpoints[1].url: must be an http or https URL")
                .hasMessageContaining("integrations.endpoints[2].name: must be letters")
                .hasMessageContaining("integrations.endpoints[2].url: must not have a query")
                .hasMessageContaining("integrations.endpoints[2].headers.Host: is set by the server")
                .hasMessageContaining("'Bad Header' is not a header name")
                .hasMessageContaining("integrations.endpoints[2].secret-header-files.X-Key: cannot read the file")
                .hasMessageContaining("breaker-failure-rate: must be a percentage")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw@"));
    }
}
