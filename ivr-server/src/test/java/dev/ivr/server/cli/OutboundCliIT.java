package dev.ivr.server.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Typed attributes on import, segments and campaigns as an admin runs them (default H2 database). */
@Tag("integration")
class OutboundCliIT {
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
                  attributes:
                    - {name: contract_end, type: date}
                    - {name: do_not_call, type: boolean}
                outbound:
                  campaigns:
                    - {name: renewal, segment: renewal, flow: contract-renewal, reason: contract-renewal}
                    - {name: listed, flow: payment-reminder, reason: payment-late}
                """.formatted(dir.resolve("data")));
    }

    @Test
    void importSegmentAndCampaignFromTheCommandLine() throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, """
                id,first_name,phones,attr.contract_end,attr.do_not_call
                C1,Anna,+36 1 555 0001,2027-03-27,no
                C2,Bela,+36 1 555 0002,27.03.2027,no
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), csv.toString())).isEqualTo(1);
        assertThat(cli.out()).contains(csv + ": line 3: attr.contract_end: '27.03.2027' is not a date (YYYY-MM-DD")
                .contains("nothing imported");
        Files.writeString(csv, """
                id,first_name,phones,attr.contract_end,attr.do_not_call
                C1,Anna,+36 1 555 0001,2027-03-27,no
                C2,Bela,+36 1 555 0002,2027-03-28,yes
                C3,Cili,,2027-03-29,no
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), csv.toString())).as(cli.err()).isZero();

        assertThat(cli.run("segment", "save", "-c", config.toString(), "renewal", "attr.contract_end >= date(\"2027-03-01\") &&\n"
                + "  !attr.do_not_cal")).isEqualTo(1);
        assertThat(cli.err()).contains("segment renewal:2:8: no attribute 'do_not_cal'").contains("did you mean 'do_not_call'?");
        assertThat(cli.run("segment", "save", "-c", config.toString(), "renewal",
                "attr.contract_end >= date(\"2027-03-01\") && !attr.do_not_call")).as(cli.err()).isZero();
        assertThat(cli.run("segment", "count", "-c", config.toString(), "renewal", "--sample", "1")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("2 customer(s) on ").contains("  C1  Anna").contains("... and 1 more");
        assertThat(cli.run("segment", "count", "-c", config.toString(), "renewl")).isEqualTo(1);
        assertThat(cli.err()).contains("no segment 'renewl'; did you mean 'renewal'?");

        assertThat(cli.run("campaign", "status", "-c", config.toString(), "renewal")).isZero();
        assertThat(cli.out()).contains("never started");
        assertThat(cli.run("campaign", "start", "-c", config.toString(), "renewal")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("campaign renewal running: 2 customer(s) in segment renewal, 2 added,"
                + " 1 without a phone number (not called)");
        assertThat(cli.run("campaign", "pause", "-c", config.toString(), "renewal")).isZero();
        assertThat(cli.run("campaign", "status", "-c", config.toString(), "renewal")).isZero();
        assertThat(cli.out()).contains("campaign renewal: paused").contains("no-number=1").contains("pending=1");
        assertThat(cli.run("campaign", "start", "-c", config.toString(), "renewa")).isEqualTo(1);
        assertThat(cli.err()).contains("no campaign 'renewa' in outbound.campaigns; did you mean 'renewal'?");
    }

    @Test
    void theDoNotCallListFromTheCommandLine() throws Exception {
        assertThat(cli.run("dnc", "add", "-c", config.toString(), "+36 1 555 0001", "06 1 555 0002", "--reason", "asked"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("2 number(s) added to the do-not-call list of every campaign (0 already there)");
        Path list = dir.resolve("dnc.csv");
        Files.writeString(list, "number\n# from the complaints desk\n06 1 555 0003\n+36 1 555 0001\n");
        assertThat(cli.run("dnc", "import", "-c", config.toString(), "--campaign", "renewal", list.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("2 number(s) read, 2 added to the do-not-call list of campaign renewal");
        Files.writeString(list, "+36 1 555 0004\nnot a number\n");
        assertThat(cli.run("dnc", "import", "-c", config.toString(), list.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("line 2: 'not a number' is not a phone number");
        assertThat(cli.run("dnc", "check", "-c", config.toString(), "+36 1 555 0004")).as("nothing of the bad file").isEqualTo(1);
        assertThat(cli.run("dnc", "check", "-c", config.toString(), "0036 1 555 0001")).isZero();
        assertThat(cli.out()).contains("+3615550001: every campaign since").contains("(cli: asked)")
                .contains("+3615550001: campaign renewal since");
        assertThat(cli.run("dnc", "export", "-c", config.toString(), "--all-scopes")).isZero();
        assertThat(cli.out()).startsWith("number,scope,").contains("+3615550002,*,cli", "+3615550003,renewal,import");
        assertThat(cli.run("dnc", "remove", "-c", config.toString(), "06 1 555 0002")).isZero();
        assertThat(cli.run("dnc", "count", "-c", config.toString())).isZero();
        assertThat(cli.out()).contains("1 number(s) on the do-not-call list of every campaign");
    }

    @Test
    void aCsvContactListFromTheCommandLineAndTheAttemptsWithTheirAmd() throws Exception {
        Path customers = dir.resolve("c.csv");
        Files.writeString(customers, """
                id,first_name,phones
                C1,Anna,+36 1 555 0001
                C2,Bela,+36 1 555 0002
                C3,Cili,
                """);
        assertThat(cli.run("import-customers", "-c", config.toString(), customers.toString())).as(cli.err()).isZero();
        Path list = dir.resolve("list.csv");
        Files.writeString(list, """
                customer,phone
                C1,
                C9,
                ,06 1 555 0077
                C3,
                """);
        assertThat(cli.run("campaign", "import", "-c", config.toString(), "listed", list.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("list.csv: line 3: customer: no customer 'C9'")
                .contains("list.csv: line 4: phone: no customer has the number +3615550077")
                .contains("list.csv: line 5: customer C3 has no phone number").contains("nothing imported");
        Files.writeString(list, """
                customer,phone
                C1,
                ,(+36) 1-555-0002
                C2,
                """);
        assertThat(cli.run("campaign", "import", "-c", config.toString(), "listed", list.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("campaign listed: 3 row(s), 2 contact(s) added, 0 already in the campaign, 1 repeated row(s)");
        assertThat(cli.run("campaign", "start", "-c", config.toString(), "listed")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("campaign listed running: it dials its imported CSV list");
        assertThat(cli.run("campaign", "status", "-c", config.toString(), "listed")).isZero();
        assertThat(cli.out()).contains("campaign listed: running").contains("pending=2");

        // an attempt as the dialer and the flow leave it (AmdRecordIT has the whole way)
        try (dev.ivr.server.db.Database db = dev.ivr.server.db.Database.open(new dev.ivr.server.config.DatabaseConfig("", "sa", "", 2, 1,
                java.time.Duration.ofSeconds(5)), dir.resolve("data"))) {
            assertThat(db.awaitReady(java.time.Duration.ofSeconds(30))).isTrue();
            try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement("insert into campaign_attempts (campaign,"
                    + " customer_id, attempt_no, phone, node, started_at, ended_at, result, call_id, amd, amd_cause) values ('listed',"
                    + " 'C1', 1, '+3615550001', 'node-a', current_timestamp, current_timestamp, 'answered', 'call-1', 'MACHINE',"
                    + " 'TOOLONG-5000')")) {
                ps.executeUpdate();
            }
        }
        assertThat(cli.run("campaign", "status", "-c", config.toString(), "listed", "--attempts")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("C1 #1 ").contains("answered node-a amd: MACHINE (TOOLONG-5000)");
    }
}
