package dev.ivr.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./ivr validate} checks a remind node's campaign against outbound.campaigns of the configuration. */
class ValidateCampaignsTest {
    @TempDir
    Path dir;
    private Level rootLevel;
    private PrintStream stdout;
    private PrintStream stderr;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        rootLevel = ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getLevel();
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(rootLevel);
    }

    private int validate(String campaign) throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("book.yaml"), """
                start: who
                languages: [en]
                nodes:
                  who:
                    type: identify
                    on-identified: book
                    next: bye
                  book:
                    type: remind
                    campaign: %s
                    in: 1d
                    next: bye
                    on-error: bye
                  bye:
                    type: hangup
                """.formatted(campaign));
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, """
                node:
                  data-dir: %s
                outbound:
                  campaigns:
                    - {name: payment-reminder, flow: book, reason: payment-late}
                """.formatted(dir.resolve("data")));
        return new CommandLine(new IvrCli()).execute("validate", "-c", config.toString(), "--flows", flows.toString(),
                "--prompts", "../prompts", "--calendars", "../config/calendars.yaml");
    }

    @Test
    void aConfiguredCampaignValidates() throws Exception {
        assertThat(validate("payment-reminder")).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void anUnknownCampaignIsAnErrorWithFileLineAndColumn() throws Exception {
        assertThat(validate("payment-remindr")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("book.yaml:10:")
                .contains("no campaign named 'payment-remindr' in outbound.campaigns")
                .contains("did you mean 'payment-reminder'?");
    }
}
