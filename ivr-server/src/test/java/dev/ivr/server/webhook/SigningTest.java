package dev.ivr.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningTest {
    static final byte[] BODY = "{\"id\":\"e1\",\"type\":\"call.ended\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBody() {
        // printf '%s' '1700000000.{"id":"e1","type":"call.ended"}' | openssl dgst -sha256 -hmac 'whsec_test' -hex
        assertThat(Signing.sign("whsec_test", 1_700_000_000L, BODY))
                .isEqualTo("v1=3f6a7cf57641856ef0bb67f160e1b171836e4aab419e757c198b418e7239db60");
    }

    @Test
    void aReceiverAcceptsTheGenuineAndRefusesTamperedOrOldOnes() {
        String sig = Signing.sign("whsec_test", 1_700_000_000L, BODY);
        assertThat(Signing.verify("whsec_test", "1700000000", sig, BODY, 1_700_000_100L, 300)).isTrue();
        assertThat(Signing.verify("whsec_other", "1700000000", sig, BODY, 1_700_000_100L, 300)).isFalse();
        byte[] tampered = "{\"id\":\"e2\",\"type\":\"call.ended\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Signing.verify("whsec_test", "1700000000", sig, tampered, 1_700_000_100L, 300)).isFalse();
        // the same body and signature replayed with another timestamp, or much later
        assertThat(Signing.verify("whsec_test", "1700000001", sig, BODY, 1_700_000_100L, 300)).isFalse();
        assertThat(Signing.verify("whsec_test", "1700000000", sig, BODY, 1_700_001_000L, 300)).isFalse();
        assertThat(Signing.verify("whsec_test", "soon", sig, BODY, 1_700_000_100L, 300)).isFalse();
        assertThat(Signing.verify("whsec_test", null, sig, BODY, 1_700_000_100L, 300)).isFalse();
    }

    @Test
    void secretsAreLongAndDifferent() {
        String a = Signing.newSecret();
        assertThat(a).startsWith("whsec_").hasSize(6 + 43);
        assertThat(Signing.newSecret()).isNotEqualTo(a);
    }
}
