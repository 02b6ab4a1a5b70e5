package dev.ivr.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowlistTest {
    final HostAllowlist https = new HostAllowlist(List.of("crm.example.com", "*.hooks.example.org"), false);

    @Test
    void httpsToAListedHostOrSubDomain() {
        assertThat(https.check("https://crm.example.com/ivr").getHost()).isEqualTo("crm.example.com");
        assertThat(https.check("https://CRM.example.com:8443/x?a=1").getPort()).isEqualTo(8443);
        assertThat(https.check("https://a.hooks.example.org/in").getHost()).isEqualTo("a.hooks.example.org");
    }

    @Test
    void everythingElseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> https.check("http://crm.example.com/ivr")).hasMessageContaining("allow-http");
        assertThatThrownBy(() -> https.check("https://evil.example.com/")).hasMessageContaining("not in webhooks.allowed-hosts");
        assertThatThrownBy(() -> https.check("https://hooks.example.org/")).hasMessageContaining("not in");
        assertThatThrownBy(() -> https.check("https://crm.example.com.evil.net/")).hasMessageContaining("not in");
        assertThatThrownBy(() -> https.check("https://user:pw@crm.example.com/")).hasMessageContaining("user name");
        assertThatThrownBy(() -> https.check("ftp://crm.example.com/")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> https.check("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> https.check("")).hasMessageContaining("required");
        assertThatThrownBy(() -> new HostAllowlist(List.of(), true).check("http://127.0.0.1/")).hasMessageContaining("not in");
    }

    @Test
    void plainHttpOnlyWhenAllowed() {
        assertThat(new HostAllowlist(List.of("127.0.0.1"), true).check("http://127.0.0.1:8080/in").getPort()).isEqualTo(8080);
    }
}
