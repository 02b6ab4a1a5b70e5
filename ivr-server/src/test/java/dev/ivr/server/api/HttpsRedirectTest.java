package dev.ivr.server.api;

import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the plain-HTTP redirect port sends a browser: the host it asked for, on the HTTPS port. */
class HttpsRedirectTest {
    @Test
    void theHostAskedForOnTheHttpsPort() {
        assertThat(HttpApi.redirectAuthority(HostAndPort.parseAuthority("ivr.example.com:8080", -1), "0.0.0.0", 8443))
                .isEqualTo("ivr.example.com:8443");
        assertThat(HttpApi.redirectAuthority(HostAndPort.parseAuthority("10.0.0.5", -1), "0.0.0.0", 8443))
                .isEqualTo("10.0.0.5:8443");
    }

    @Test
    void anIpv6HostKeepsOnePairOfBrackets() {
        // Vert.x gives the host with its brackets: they were doubled once
        assertThat(HttpApi.redirectAuthority(HostAndPort.parseAuthority("[::1]:8080", -1), "::", 8443))
                .isEqualTo("[::1]:8443");
    }

    @Test
    void noHostAskedForTheBoundAddress() {
        assertThat(HttpApi.redirectAuthority(null, "::1", 8443)).isEqualTo("[::1]:8443");
        assertThat(HttpApi.redirectAuthority(null, "127.0.0.1", 8443)).isEqualTo("127.0.0.1:8443");
    }
}
