package dev.ivr.loadgen;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short simulated day (the full one is {@code loadgen day}, docs/reporting.md): the packaged server on an H2 file
 * database under libfaketime at x60, an hour and a half of calls (about two minutes of real time) with agents on
 * shifts, self-service, the operator, abandons and callbacks; the server's queue and flow reports must show exactly
 * what the load generator placed and saw. Skipped where faketime is not installed ({@code .ci/setup} installs it).
 */
@Tag("integration")
class SimulatedDayIT {
    @Test
    void theReportsShowWhatTheLoadGeneratorPlaced() throws Exception {
        Assumptions.assumeTrue(DayRun.faketime().isPresent(),
                "faketime is not installed (Debian package faketime; .ci/setup installs it): skipping the simulated day");
        Path work = Path.of("target/simulated-day-it").toAbsolutePath();
        if (Files.exists(work)) {
            try (Stream<Path> old = Files.walk(work)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path jar = Path.of("").toAbsolutePath().getParent().resolve("ivr-server/target/ivr-server.jar");
        assertThat(jar).as("the packaged server (./ivr build, or the reactor build before this module)").exists();
        DayRun.Plan plan = new DayRun.Plan(LocalDate.of(2026, 11, 30), LocalTime.of(9, 30), LocalTime.of(11, 0), 60,
                150, 6, 42, work, jar, null);

        DayRun.Result r = new DayRun(plan).run();

        System.out.println(r.table());
        assertThat(r.tally()).as("the day did what it says")
                .containsEntry("calls placed", 150L)
                .hasEntrySatisfying("offered", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("answered", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("self-served", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("agent sign-ins", n -> assertThat(n).isEqualTo(6L))
                .doesNotContainKeys("failures: fake PBX error");
        assertThat(r.mismatches()).as("figures where the reports differ from the load generator's tally").isEmpty();
    }
}
