package dev.ivr.server.api;

import dev.ivr.server.net.Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    static final List<Cidr> PROXIES = Cidr.parseAll(List.of("10.0.0.0/24"));

    @Test
    void theHeaderCountsOnlyFromATrustedProxy() {
        assertThat(ClientAddress.resolve("198.51.100.7", "203.0.113.9", PROXIES)).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.resolve("198.51.100.7", "203.0.113.9", List.of())).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.resolve("10.0.0.5", "203.0.113.9", PROXIES)).isEqualTo("203.0.113.9");
        // a client cannot pick its address by writing the header itself: the nearest untrusted hop counts
        assertThat(ClientAddress.resolve("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.6", PROXIES)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.resolve("10.0.0.5", null, PROXIES)).isEqualTo("10.0.0.5");
    }
}
