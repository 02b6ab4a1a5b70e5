package dev.ivr.server.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 (16): the small edges of the CLI a newcomer meets. */
@Tag("integration")
class CliEdgesIT {
    @Test
    void validateOfAFlowThatDoesNotExistSaysSoAlone() throws Exception {
        IvrScript.Result r = IvrScript.run("validate", "customer-servce");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no flow named 'customer-servce'", "did you mean 'customer-service'?")
                .doesNotContain("error(s)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void graphOfAFlowThatDoesNotExistHasNoDanglingColon() throws Exception {
        IvrScript.Result r = IvrScript.run("graph", "no-such-flow");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("ivr-server: no flow named 'no-such-flow'").doesNotEndWith(":");
    }

    @Test
    void aSemicolonSeparatedCsvGetsADelimiterHint(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("customers.csv");
        Files.writeString(csv, "id;first_name;last_name;phones\nC1;Anna;Kovacs;+36 1 234 5678\n");
        Path cfg = dir.resolve("ivr.yaml");
        Files.writeString(cfg, "node:\n  data-dir: " + dir.resolve("data") + "\n");
        IvrScript.Result r = IvrScript.run(dir, Map.of(), "", "import-customers", "--config", cfg.toString(), csv.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("separates fields with ';'", "reads commas").doesNotContain("is the header row missing");
    }
}
