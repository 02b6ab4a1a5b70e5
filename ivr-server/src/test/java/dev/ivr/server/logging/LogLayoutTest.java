package dev.ivr.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped logging configurations (the jar's built-in one and the distribution's, which
 * also writes a file) escape control characters in messages, in the MDC call id and in
 * exception messages, whatever the code that logged them did.
 */
class LogLayoutTest {
    @TempDir
    Path dir;

    @Test
    void theBuiltInConfigurationEscapesControlCharacters() throws Exception {
        String out = logThrough(LogLayoutTest.class.getResource("/logback.xml"));
        assertEscaped(out);
    }

    @Test
    void theDistributionConfigurationEscapesControlCharactersOnTheConsoleAndInTheFile() throws Exception {
        String console = logThrough(Path.of("src/dist/config/logback.xml").toUri().toURL());
        assertEscaped(console);
        assertEscaped(Files.readString(dir.resolve("ivr.log")));
    }

    private String logThrough(URL config) throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        ctx.putProperty("ivr.log.dir", dir.toString());
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator jc = new JoranConfigurator();
            jc.setContext(ctx);
            jc.doConfigure(config);
            Logger log = ctx.getLogger("dev.ivr.server.test");
            ctx.getMDCAdapter().put("call", "1.1\u001b[2J\u0000x");
            try {
                log.info("caller name '{}' dialled {}", "\u001b]0;pwned\u0007", "100\r\nFAKE 2099-01-01 INFO forged line");
                log.warn("peer sent garbage", new IllegalStateException("bad line '\u001b[31mred\u0000'",
                        new RuntimeException("cause \u001b[1A")));
            } finally {
                ctx.getMDCAdapter().remove("call");
            }
        } finally {
            ctx.stop(); // flushes the file appender
            ch.qos.logback.core.util.StatusPrinter2 p = new ch.qos.logback.core.util.StatusPrinter2();
            p.printInCaseOfErrorsOrWarnings(ctx);
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void assertEscaped(String out) {
        assertThat(out).contains("call=1.1\\e[2J\\0x - caller name '\\e]0;pwned\\x07' dialled 100\\r\\nFAKE 2099-01-01")
                .contains("IllegalStateException: bad line '\\e[31mred\\0'")
                .contains("RuntimeException: cause \\e[1A");
        assertThat(out.chars().filter(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f))
                .as("control characters written raw").isEmpty();
        assertThat(out.lines().filter(l -> l.contains("forged line"))).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("caller name"));
    }
}
