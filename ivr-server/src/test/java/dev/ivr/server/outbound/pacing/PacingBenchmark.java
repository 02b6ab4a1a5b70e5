package dev.ivr.server.outbound.pacing;

import java.util.List;
import java.util.Locale;

/**
 * The pacing simulation benchmark (docs/benchmarks.md): 50 agents, 8 hours, progressive and
 * predictive with the default settings (3% abandon cap). Options: {@code --agents N},
 * {@code --hours N}, {@code --seed N}.
 */
public final class PacingBenchmark {
    private PacingBenchmark() {
    }

    public static void main(String[] args) {
        int agents = 50;
        int hours = 8;
        long seed = 19;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--agents" -> agents = Integer.parseInt(args[i + 1]);
                case "--hours" -> hours = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        PacingSimulation sim = new PacingSimulation(agents, hours, seed);
        List<PacingSimulation.Run> runs = List.of(sim.run(DialMode.PROGRESSIVE, PacingSettings.DEFAULTS),
                sim.run(DialMode.PREDICTIVE, PacingSettings.DEFAULTS));
        System.out.print(PacingSimulation.summary(runs));
        System.out.println();
        System.out.print(PacingSimulation.table(runs));
        System.out.println();
        System.out.print(PacingSimulation.plot(runs, PacingSettings.DEFAULTS.abandonCap()));
        System.out.printf(Locale.ROOT, "%nsimulated %d agents x %d h x 2 modes in %.1f s (seed %d)%n", agents, hours,
                (System.nanoTime() - t0) / 1e9, seed);
    }
}
