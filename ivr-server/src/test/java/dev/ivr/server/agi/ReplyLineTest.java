package dev.ivr.server.agi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply-line check without a regular expression accepts exactly what {@code \d{3}([ -].*)?} matched. */
class ReplyLineTest {
    private static final Pattern REGEX = Pattern.compile("\\d{3}([ -].*)?");

    @Test
    void acceptsWhatTheRegularExpressionMatched() {
        List<String> lines = List.of("200 result=1", "200 result=0 endpos=16000", "200", "511 Command Not Permitted on a dead channel",
                "520-Invalid command syntax.  Proper usage follows:", "520 End of proper usage.", "510 Invalid or unknown command",
                "200 result=49 (timeout)", "200 result=1 (Ünicode)", "200 ", "200-", "20", "", "2000", "200x", "abc def",
                "HANGUP", "200\tresult=1", "200 a\rb", "200 a\u0085b", "200 a\u2028b", "200 a\u2029b", "200 a\u000bb",
                "200 a\u001fb", "\u0663\u0663\u0663 arabic digits", "٢٠٠", "200 " + "x".repeat(5000), " 200 result=1");
        for (String l : lines) {
            assertThat(AgiSocket.isReplyLine(l)).as("'%s'", l).isEqualTo(REGEX.matcher(l).matches());
        }
    }
}
