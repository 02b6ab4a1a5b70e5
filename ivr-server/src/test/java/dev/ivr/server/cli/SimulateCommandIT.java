package dev.ivr.server.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./ivr simulate} as a flow designer runs it (issue 18, defect 4). */
@Tag("integration")
class SimulateCommandIT {
    static final String OPEN = "2026-12-02T10:00:00+01:00";

    static Path config(Path dir, String extra) throws Exception {
        Path cfg = dir.resolve("ivr.yaml");
        Files.writeString(cfg, "node:\n  data-dir: " + dir.resolve("data") + "\nflows:\n  dir: " + IvrScript.REPO.resolve("flows")
                + "\n  calendars: " + IvrScript.REPO.resolve("config/calendars.yaml") + "\nprompts:\n  dir: "
                + IvrScript.REPO.resolve("prompts") + "\n" + extra);
        return cfg;
    }

    static IvrScript.Result ivr(Path dir, String... args) throws Exception {
        return IvrScript.run(dir, Map.of(), "", args);
    }

    @Test
    void readsTheConfiguredDatabaseReadOnlyAndSimulatesRouting(@TempDir Path dir) throws Exception {
        Path cfg = config(dir, "");
        // no database yet: said so, the caller is unknown
        IvrScript.Result none = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--ani", "+44 20 7946 0958",
                "--script", "2", "--time", OPEN);
        assertThat(none.exit()).as(none.all()).isZero();
        assertThat(none.out()).contains("no customers: there is no database yet", "import-customers");

        IvrScript.Result imported = ivr(dir, "import-customers", "--config", cfg.toString(),
                IvrScript.REPO.resolve("config/sample-customers.csv").toString());
        assertThat(imported.exit()).as(imported.all()).isZero();

        // a known caller is identified from the database; pressing 2 reaches an agent of the support queue
        IvrScript.Result r = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--ani", "+44 20 7946 0958",
                "--script", "1,10003#,9999#,10003#,3456#", "--time", OPEN);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("customers from the configured database", "read only",
                "identify: IDENTIFIED (customer C1003)", "IVR: Hello Emma",
                "caller presses 10003#", "authenticate account 10003: FAILED", "authenticate account 10003: OK",
                "route billing: connected to agent agent-1 after waiting 30s", "= outcome ROUTED")
                .doesNotContain("Connected[", "caller presses 1\n  caller presses 0");
        assertThat(r.all()).doesNotContain("ERROR", "no call router");

        // read only: the failed PIN counted nothing, no attempt and no interaction was written
        try (var c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("data/db/ivr").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
             var st = c.createStatement()) {
            for (String table : new String[]{"auth_attempts", "auth_lockouts", "interactions"}) {
                try (var rs = st.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(table).isZero();
                }
            }
        }

        // another routing answer, scripted on the command line
        IvrScript.Result noAgents = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--ani", "+44 20 7946 0958",
                "--script", "2", "--route", "support=no-agents", "--time", OPEN);
        assertThat(noAgents.out()).contains("route support: no logged-in agent could take this call", "> leave-message");
    }

    @Test
    void theShippedCustomersFileWorksAndAMissingOneIsSaidClearly(@TempDir Path dir) throws Exception {
        Path cfg = config(dir, "");
        IvrScript.Result r = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--ani", "+44 20 7946 0958",
                "--script", "1,10003#,3456#", "--customers", IvrScript.REPO.resolve("config/simulate-customers.yaml").toString(),
                "--time", OPEN);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("identify: IDENTIFIED (customer C1003)", "authenticate account 10003: OK",
                "route billing: connected to agent alice after waiting 40s (talked 4m)");

        IvrScript.Result missing = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--customers", "crm.yaml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--customers crm.yaml: no such file", "config/simulate-customers.yaml");
    }

    @Test
    void speechIsHeardOnlyWhereTheConfigurationHasAModel(@TempDir Path dir) throws Exception {
        Path cfg = config(dir, "speech:\n  enabled: false\n");
        IvrScript.Result r = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--script", "1,2",
                "--time", OPEN);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("For technical support, press 2.").doesNotContain("or say support");
        IvrScript.Result forced = ivr(dir, "simulate", "customer-service", "--config", cfg.toString(), "--speech",
                "--script", "1,2", "--time", OPEN);
        assertThat(forced.out()).contains("or say support");
    }
}
