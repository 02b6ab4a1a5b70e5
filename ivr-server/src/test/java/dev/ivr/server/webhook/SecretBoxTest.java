package dev.ivr.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    final byte[] key = new byte[32];

    @Test
    void sealedSecretsOpenOnlyForTheirSubscriptionUnderTheSameKey() {
        Arrays.fill(key, (byte) 7);
        SecretBox box = new SecretBox(key);
        String sealed = box.seal("wh_1", "whsec_abc");
        assertThat(sealed).doesNotContain("whsec_abc");
        assertThat(box.seal("wh_1", "whsec_abc")).isNotEqualTo(sealed); // a fresh nonce each time
        assertThat(box.open("wh_1", sealed)).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> box.open("wh_2", sealed)).hasMessageContaining("cannot be opened");
        byte[] other = key.clone();
        other[0] = 8;
        assertThatThrownBy(() -> new SecretBox(other).open("wh_1", sealed)).hasMessageContaining("another cluster secret");
    }
}
