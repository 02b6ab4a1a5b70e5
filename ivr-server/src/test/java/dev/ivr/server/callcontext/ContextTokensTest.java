package dev.ivr.server.callcontext;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ContextTokensTest {
    private final ContextTokens tokens = new ContextTokens(key((byte) 1));

    @Test
    void aTokenVerifiesToItsCall() {
        String t = tokens.token("1763843012.12");
        assertThat(t).startsWith("1763843012.12;sig=").hasSizeLessThan(50);
        assertThat(tokens.verify(t)).contains("1763843012.12");
    }

    @Test
    void forgedOrAlteredTokensAreRefused() {
        String t = tokens.token("1763843012.12");
        assertThat(tokens.verify(t.replace("1763843012.12", "1763843012.13"))).isEmpty();
        assertThat(tokens.verify(t.substring(0, t.length() - 1) + "A")).isEmpty();
        assertThat(tokens.verify("1763843012.12")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(new ContextTokens(key((byte) 2)).verify(t)).isEmpty();
    }

    private static byte[] key(byte b) {
        byte[] k = new byte[32];
        Arrays.fill(k, b);
        return k;
    }
}
