package dev.ivr.server.agi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reply-line and environment-line checks without a regular expression accept exactly what
 * {@code \d{3}([ -].*)?} and {@code (agi|ogi)_[A-Za-z0-9_]+:( .*)?} matched.
 */
class ReplyLineTest {
    private static final Pattern REGEX = Pattern.compile("\\d{3}([ -].*)?");
    private static final Pattern ENV_REGEX = Pattern.compile("(agi|ogi)_[A-Za-z0-9_]+:( .*)?");

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

    @Test
    void environmentLinesAcceptWhatTheRegularExpressionMatched() {
        List<String> lines = List.of("agi_network: yes", "agi_request: agi://127.0.0.1/customer-service", "agi_arg_1: x",
                "ogi_network: yes", "agi_callerid: +44 20 7946 0958", "agi_x:", "agi_x: ", "agi_x:  two", "agi_: x", "agi_",
                "agi_x", "agi_x:y", "agi_x :y", "agi_x-y: z", "agi_x\ty: z", "agi_Ü: z", "AGI_x: y", "xgi_x: y", "agi x: y",
                "agi_x: a\rb", "agi_x: a\u0085b", "agi_x: a\u2028b", "agi_x: a\u2029b", "agi_x: a\u000bb", "agi_x: Ünicode",
                "agi_x::", "agi_x: : :", "", " agi_x: y", "agi_x\u0663: y", "agi_uniqueid: 1700000000.42",
                "agi_" + "x".repeat(5000) + ": " + "y".repeat(5000), "ogi_", "ogi_1:");
        for (String l : lines) {
            assertThat(AgiSocket.isEnvironmentLine(l)).as("'%s'", l).isEqualTo(ENV_REGEX.matcher(l).matches());
        }
    }
}
