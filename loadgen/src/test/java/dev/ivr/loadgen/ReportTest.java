package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The results as written: CSV that reads back, tables with the figures and ratios, plots. */
class ReportTest {
    /** A plateau with the figures that matter here; the rest plausible. */
    static StepResult row(String server, int calls, long p99Micros, long cpuNanos, long commands, long heapPerCall,
                          Map<String, Long> failures) {
        return new StepResult(server, "simple", calls, calls, 30.0, calls / 10.0, calls * 2L, calls * 2L, failures, commands,
                150, p99Micros, p99Micros * 3, p99Micros * 5, server.equals("ivr") ? 50 : -1, server.equals("ivr") ? 2000 : -1,
                cpuNanos / 3e8, cpuNanos, cpuNanos < 0 ? -1 : cpuNanos / 10, 40.0, heapPerCall, heapPerCall * 2, 100_000_000, 500_000_000, 80, calls + 100,
                900, 4000, 300, 2500, 3.5, 25.0);
    }

    final List<StepResult> rows = List.of(
            row("ivr", 1000, 8000, 3_000_000_000L, 30_000, 40_000, Map.of()),
            row("ivr", 2000, 25_000, 5_400_000_000L, 60_000, 38_000, Map.of()),
            row("stock-raised", 1000, 700, 600_000_000L, 30_000, 50_000, Map.of()),
            row("stock-raised", 2000, 1200, 1_200_000_000L, 60_000, 52_000, Map.of()),
            row("stock-default", 1000, 400, 300_000_000L, 15_000, 60_000, Map.of("closed_before_service", 9000L)));

    @Test
    void theCsvReadsBackAsWritten(@TempDir Path dir) throws Exception {
        Report.csv(rows, dir.resolve("r.csv"));
        assertThat(Files.readAllLines(dir.resolve("r.csv"))).hasSize(6).element(5).asString()
                .contains("closed_before_service=9000");
        assertThat(Report.readCsv(dir.resolve("r.csv"))).isEqualTo(rows);
    }

    @Test
    void cpuPerThousandCommandsIsTheServersCpuTimeOverTheCommandsOfTheWindow() {
        // 3 s of CPU for 30,000 commands: 100 µs a command, 100 ms per 1,000
        assertThat(rows.getFirst().cpuMillisPer1000Commands()).isEqualTo(100.0);
        assertThat(rows.getFirst().commandsPerSecond()).isEqualTo(1000.0);
        assertThat(row("x", 1, 1, -1, 10, 1, Map.of()).cpuMillisPer1000Commands()).isEqualTo(-1);
        // the JIT compilers' part of it: 0.3 s of the 3 s
        assertThat(rows.getFirst().jitMillisPer1000Commands()).isEqualTo(10.0);
        assertThat(row("x", 1, 1, -1, 10, 1, Map.of()).jitMillisPer1000Commands()).isEqualTo(-1);
    }

    @Test
    void theTableHasEveryPlateauWithItsFigures() {
        String md = Report.markdown(rows);
        assertThat(md.lines()).hasSize(7);
        assertThat(md).contains("| ivr | 1,000 | 1,000 | 0 | 1,000 | 0.15 | 8.00 | 24.00 | 40.00 | ≤ 0.05 / ≤ 2.00 | 10 | 100 | 10 | 39.1 | 78.1 | 80 | 0.90 / 4.00 | 3.5 |")
                .contains("| stock-default | 1,000 | 1,000 | 9,000 (closed_before_service 9000) |");
    }

    @Test
    void ratiosCompareIvrWithTheReferenceAtTheSameNumberOfCalls() {
        String md = Report.ratios(rows, "ivr", "stock-raised");
        assertThat(md).contains("| 1,000 | **5.00×** (100 / 20 ms) | **11.43×** (8.00 / 0.70 ms) | **0.80×** (39.1 / 48.8 KB) |")
                .contains("| 2,000 | **4.50×** (90 / 20 ms) |");
        assertThat(Report.ratios(rows, "ivr", "stock-default")).contains("| 1,000 |").doesNotContain("| 2,000 |");
    }

    @Test
    void theCeilingIsTheMostCallsHeldUnderTwentyMillisecondsWithNoFailure() {
        String md = Report.ceilings(rows);
        assertThat(md).contains("| ivr | 1,000 | 2,000 | 1,000 ✓, 2,000 ✗ |")
                .contains("| stock-raised | 2,000 | none up to the highest measured |")
                .contains("| stock-default | none | 1,000 |"); // calls refused: not held
    }

    @Test
    void plotsAreDrawn(@TempDir Path dir) throws Exception {
        Report.png(rows, dir.resolve("c.png"));
        Report.setupPng(rows.subList(0, 2), dir.resolve("s.png"));
        assertThat(Files.size(dir.resolve("c.png"))).isGreaterThan(10_000);
        assertThat(Files.size(dir.resolve("s.png"))).isGreaterThan(5_000);
        assertThat(Report.setupMarkdown(rows.subList(0, 2))).contains("| 1,000 | 100.0 | 1,000 | 0 | 0.15 | 8.00 |");
    }

    @Test
    void everyPlotKeepsItsLegendOutsideThePlotArea() {
        // inside the plot the legend hid the 1,000-call point of the latency plot (issue 18, defect 9)
        for (var chart : List.of(Report.chart("t", "x", "y", true), Report.chart("t", "x", "y", false), Report.soakChart("t", "y"))) {
            assertThat(chart.getStyler().getLegendPosition())
                    .isIn(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        }
    }
}
