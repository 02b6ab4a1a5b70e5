package dev.ivr.server.crm;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WrapUpTest {
    @Test
    void notesKeepLineBreaksAndTabsAndLoseOtherControlCharacters() {
        assertThat(WrapUp.cleanNote("  first line\r\nsecond\tline\u0000\u001b[31m red\u0007  ")).isEqualTo("first line\nsecond\tline[31m red");
        assertThat(WrapUp.cleanNote("   ")).isNull();
        assertThat(WrapUp.cleanNote(null)).isNull();
        assertThat(WrapUp.cleanNote("<script>alert(1)</script>")).as("kept as text; pages escape it")
                .isEqualTo("<script>alert(1)</script>");
    }

    @Test
    void notesAreLimitedInLength() {
        assertThat(WrapUp.cleanNote("x".repeat(WrapUp.MAX_NOTE))).hasSize(WrapUp.MAX_NOTE);
        assertThatThrownBy(() -> WrapUp.cleanNote("x".repeat(WrapUp.MAX_NOTE + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2000");
        assertThatThrownBy(() -> new WrapUp("c1", " ", null, null, null, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
