package dev.ivr.server.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {
    @Test
    void controlCharactersAreWrittenAsEscapes() {
        assertThat(LogText.escape("1.1\u001b[2J")).isEqualTo("1.1\\e[2J");
        assertThat(LogText.escape("a\u0000b\r\nc\td\u007fe\u0085f")).isEqualTo("a\\0b\\r\\nc\\td\\x7fe\\x85f");
        assertThat(LogText.escape("x\u2028y\u202ez")).isEqualTo("x\\u2028y\\u202ez");
    }

    @Test
    void ordinaryTextIsLeftAsItIs() {
        String s = "Kovács Anna +36 1 234 5678 \\ \"quoted\" 日本";
        assertThat(LogText.escape(s)).isSameAs(s);
        assertThat(LogText.escape(null)).isNull();
    }

    @Test
    void callIdsAreEscapedAndCut() {
        assertThat(LogText.callId("1700000000.42")).isEqualTo("1700000000.42");
        assertThat(LogText.callId("x".repeat(5000))).hasSize(LogText.MAX_CALL_ID + 3).endsWith("...");
        assertThat(LogText.callId("1.1\u001b[2J")).isEqualTo("1.1\\e[2J");
    }
}
