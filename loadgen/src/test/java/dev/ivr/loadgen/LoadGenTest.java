package dev.ivr.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The chaos and day commands' shared options and report. */
class LoadGenTest {
    @Test
    void eachRunHasItsOwnWorkAndOutDirectoriesByDefault() {
        LoadGen.Chaos chaos = new LoadGen.Chaos();
        new CommandLine(chaos).parseArgs();
        assertThat(chaos.work).isEqualTo(Path.of("target/chaos-work"));
        assertThat(chaos.out).isEqualTo(Path.of("target/chaos"));
        assertThat(chaos.ivrJar).isEqualTo(Path.of("ivr-server/target/ivr-server.jar"));

        LoadGen.Day day = new LoadGen.Day();
        new CommandLine(day).parseArgs("--out", "elsewhere", "--calls", "10");
        assertThat(day.work).isEqualTo(Path.of("target/day-work"));
        assertThat(day.out).isEqualTo(Path.of("elsewhere"));
        assertThat(day.calls).isEqualTo(10);

        String help = new CommandLine(new LoadGen.Day()).getUsageMessage();
        assertThat(help).contains("target/day-work).").contains("target/day).");
    }

    @Test
    void theReportListsWhatFailedAndSaysSoInItsStatus(@TempDir Path dir) throws IOException {
        LoadGen.Chaos chaos = new LoadGen.Chaos();
        new CommandLine(chaos).parseArgs("--out", dir.toString());

        int failed = chaos.report("# Chaos run", "run line", "| a |", List.of("one lost", "two lost"), "All good.",
                "Invariants that did not hold:", "");
        assertThat(failed).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("chaos.md"), StandardCharsets.UTF_8)).isEqualTo(
                "# Chaos run\n\nrun line\n\n| a |\nInvariants that did not hold:\n\n- one lost\n- two lost\n");

        int ok = chaos.report("# Chaos run", "run line", "| a |", List.of(), "All good.", "Did not hold:", "\nmore\n");
        assertThat(ok).isZero();
        assertThat(Files.readString(dir.resolve("chaos.md"), StandardCharsets.UTF_8))
                .isEqualTo("# Chaos run\n\nrun line\n\n| a |\nAll good.\n\nmore\n");
    }
}
