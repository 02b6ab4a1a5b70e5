package dev.ivr.server.system;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The system tests' call ids stay out of the unique ids Asterisk makes up for its own channels. */
class LocalCallIdTest {
    /** Asterisk 20 with a systemname: {@code SYSTEMNAME-EPOCH.COUNTER} (main/channel_internal_api.c). */
    static Pattern asteriskMadeId(String systemName) {
        return Pattern.compile(Pattern.quote(systemName) + "-\\d+\\.\\d+");
    }

    @Test
    void noCallIdIsOneAsteriskCouldGiveAChannelOfItsOwn() {
        String systemName = "stdnqscv";
        Pattern asterisk = asteriskMadeId(systemName);
        assertThat(asterisk.matcher("stdnqscv-1796352046.4").matches()).as("the pattern knows Asterisk's ids").isTrue();
        for (long n = 1; n <= 1_000; n++) {
            String id = LocalCall.callId(systemName, 1_796_352_046L, n);
            assertThat(id).doesNotMatch(asterisk).doesNotMatch("\\d+\\.\\d+"); // neither with nor without a systemname
            assertThat(id + "-caller").doesNotMatch(asterisk);
            assertThat(id).hasSizeLessThan(150); // AST_MAX_UNIQUEID
        }
        assertThat(LocalCall.callId(systemName, 1L, 1)).isNotEqualTo(LocalCall.callId(systemName, 1L, 2));
    }
}
