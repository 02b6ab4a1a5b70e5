package dev.ivr.loadgen;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos run (the full one is {@code loadgen chaos}, see docs/benchmarks.md): three server processes on
 * PostgreSQL behind a proxy, 200 calls in progress for two minutes with agents answering, two servers SIGKILLed
 * and restarted, the database cut for 10 seconds, a few callbacks, eight agents' desktops connected throughout (their
 * desk message numbers checked for gaps). Only invariants are asserted, never times.
 */
@Tag("integration")
@Isolated // alone: its servers use both cores (the simulated days run side by side, see loadgen/pom.xml)
class ChaosIT {
    // two minutes, not less: at 90 s the survivors' grace for the first victim's calls (30 s) ran out as the database
    // came back and the second kill came (the run of 2026-12-04 10:15 lost 7 interactions of the first victim's calls)
    @Test
    void theInvariantsHoldThroughKillsAndADatabaseCut() throws Exception {
        // under target/, not a temporary directory: the servers' logs stay for a look when an invariant fails
        Path work = Path.of("target/chaos-it").toAbsolutePath();
        if (Files.exists(work)) {
            try (Stream<Path> old = Files.walk(work)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path jar = Path.of("").toAbsolutePath().getParent().resolve("ivr-server/target/ivr-server.jar");
        assertThat(jar).as("the packaged server (./ivr build, or the reactor build before this module)").exists();
        ChaosRun.Plan plan = new ChaosRun.Plan(Duration.ofMinutes(2), 200, 40, 2, 1, Duration.ofSeconds(10), 6,
                Duration.ofSeconds(1), Duration.ofSeconds(3), work, jar, "384m",
                // started again at once, as an init system does: it rejoins within the survivors' grace for its lost
                // calls (owner-left-grace 30 s), and they still record each of them once
                Duration.ofSeconds(2));

        ChaosRun.Result r = new ChaosRun(plan).run();

        System.out.println(r.table());
        assertThat(r.violations()).as("invariants that did not hold").isEmpty();
        assertThat(r.figures()).as("the run did what it says")
                .containsEntry("kills (SIGKILL)", 2L).containsEntry("database cuts", 1L)
                .hasEntrySatisfying("calls placed", n -> assertThat(n).isGreaterThanOrEqualTo(200))
                .hasEntrySatisfying("callbacks dialled", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("desk messages received by the connected desktops", n -> assertThat(n).isPositive());
    }
}
