package dev.ivr.server.outbound.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A simulated PBX and agent pool in simulated time, driving the dialer's own {@link Pacing}: every
 * simulated second (the dialer's poll) it asks {@link Pacing#toDial} how many calls to place with
 * the agents ready and busy and the calls ringing, and it reports every dial result, connected,
 * abandoned and handled call to the same {@link PacingStats} the dialer feeds.
 *
 * <p>The callees: each call is answered with the hour's answer rate (drifting between 25% and 35%:
 * a sine over three hours plus noise), after 4-20 s of ringing; the others end unanswered (70%
 * no answer after the 30 s ring timeout, 20% busy after 3 s, 10% failed after 1 s). An answered
 * call takes a ready agent at once, for a handle time of 3 min ± 1 min (uniform), or, with no agent
 * ready, is abandoned. Agents take no breaks and have no wrap-up.
 */
final class PacingSimulation {
    /** One hour's figures. */
    record Hour(int hour, long dialed, long answered, long abandoned, long connected, double busyAgentSeconds,
                double answerRate) {
        double abandonRate() {
            return answered == 0 ? 0 : (double) abandoned / answered;
        }
    }

    /** A run's figures. */
    record Run(DialMode mode, int agents, List<Hour> hours) {
        double occupancy() {
            return hours.stream().mapToDouble(Hour::busyAgentSeconds).sum() / (agents * 3600.0 * hours.size());
        }

        double abandonRate() {
            long a = hours.stream().mapToLong(Hour::answered).sum();
            return a == 0 ? 0 : (double) hours.stream().mapToLong(Hour::abandoned).sum() / a;
        }

        double worstHourAbandonRate() {
            return hours.stream().mapToDouble(Hour::abandonRate).max().orElse(0);
        }

        double contactsPerAgentHour() {
            return hours.stream().mapToLong(Hour::connected).sum() / (double) (agents * hours.size());
        }

        long dialed() {
            return hours.stream().mapToLong(Hour::dialed).sum();
        }
    }

    private record Event(long at, int kind, double value) {
    }

    private static final int ANSWER = 0;
    private static final int NO_RESULT = 1;
    private static final int AGENT_FREE = 2;
    private static final long START = Instant.parse("2027-03-01T08:00:00Z").toEpochMilli();

    private final int agents;
    private final int hours;
    private final long seed;

    PacingSimulation(int agents, int hours, long seed) {
        this.agents = agents;
        this.hours = hours;
        this.seed = seed;
    }

    /** The answer rate at simulated second {@code t}: 30% ± 5%. */
    static double answerRate(long t, SplittableRandom noise) {
        double wave = Math.sin(2 * Math.PI * t / (3 * 3600.0));
        return Math.max(0.25, Math.min(0.35, 0.30 + 0.04 * wave + (noise.nextDouble() - 0.5) * 0.02));
    }

    Run run(DialMode mode, PacingSettings settings) {
        Pacing pacing = new Pacing(mode, settings);
        PacingStats stats = pacing.stats();
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom noise = new SplittableRandom(seed + 1);
        PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int ready = agents;
        int ringing = 0;
        List<Hour> out = new ArrayList<>();
        long end = hours * 3600L;
        long dialed = 0;
        long answered = 0;
        long abandoned = 0;
        long connected = 0;
        double busySeconds = 0;
        double rateSum = 0;
        for (long t = 0; t < end; t++) {
            long nowMs = t * 1000;
            Instant now = Instant.ofEpochMilli(START + nowMs);
            while (!events.isEmpty() && events.peek().at() <= nowMs) {
                Event e = events.poll();
                Instant at = Instant.ofEpochMilli(START + e.at());
                switch (e.kind()) {
                    case ANSWER -> {
                        ringing--;
                        answered++;
                        stats.dialResult(true, Duration.ofMillis((long) (e.value() * 1000)));
                        if (ready > 0) {
                            ready--;
                            connected++;
                            stats.connected(at);
                            double handle = 120 + random.nextDouble() * 120;
                            events.add(new Event(e.at() + (long) (handle * 1000), AGENT_FREE, handle));
                        } else {
                            abandoned++;
                            stats.abandoned(at);
                        }
                    }
                    case NO_RESULT -> {
                        ringing--;
                        stats.dialResult(false, Duration.ofMillis((long) (e.value() * 1000)));
                    }
                    default -> {
                        ready++;
                        stats.handled(Duration.ofMillis((long) (e.value() * 1000)));
                    }
                }
            }
            double p = answerRate(t, noise);
            rateSum += p;
            int n = pacing.toDial(new PacingInput(ready, agents - ready, ringing, 0), now);
            for (int i = 0; i < n; i++) {
                dialed++;
                ringing++;
                long at = nowMs + random.nextInt(1000); // the Originates of one poll go out over the second
                if (random.nextDouble() < p) {
                    double ring = 4 + random.nextDouble() * 16;
                    events.add(new Event(at + (long) (ring * 1000), ANSWER, ring));
                } else {
                    double u = random.nextDouble();
                    double after = u < 0.7 ? 30 : u < 0.9 ? 3 : 1;
                    events.add(new Event(at + (long) (after * 1000), NO_RESULT, after));
                }
            }
            busySeconds += agents - ready;
            if ((t + 1) % 3600 == 0) {
                out.add(new Hour((int) (t / 3600), dialed, answered, abandoned, connected, busySeconds, rateSum / 3600));
                dialed = 0;
                answered = 0;
                abandoned = 0;
                connected = 0;
                busySeconds = 0;
                rateSum = 0;
            }
        }
        return new Run(mode, agents, out);
    }

    /** The figures as a Markdown table, per hour and in all. */
    static String table(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| mode | hour | answer rate | dialed | answered | connected | abandoned | abandon rate | occupancy |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            for (Hour h : r.hours()) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %d | %d | %d | %d | %.2f%% | %.1f%% |%n",
                        r.mode().word(), h.hour() + 1, h.answerRate() * 100, h.dialed(), h.answered(), h.connected(),
                        h.abandoned(), h.abandonRate() * 100, h.busyAgentSeconds() / (r.agents() * 36.0)));
            }
        }
        return b.toString();
    }

    /** The summary table: one row per mode. */
    static String summary(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| mode | occupancy | abandon rate (8 h) | worst hour | contacts per agent-hour | calls dialed |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.2f%% | %.2f%% | %.2f | %d |%n", r.mode().word(),
                    r.occupancy() * 100, r.abandonRate() * 100, r.worstHourAbandonRate() * 100,
                    r.contactsPerAgentHour(), r.dialed()));
        }
        return b.toString();
    }

    /** Occupancy and abandon rate per hour as ASCII bars. */
    static String plot(List<Run> runs, double cap) {
        StringBuilder b = new StringBuilder();
        b.append("occupancy per hour (each # = 2.5%; | marks 85%)\n");
        for (Run r : runs) {
            for (Hour h : r.hours()) {
                double occ = h.busyAgentSeconds() / (r.agents() * 3600.0);
                b.append(String.format(Locale.ROOT, "%-11s h%d %5.1f%% ", r.mode().word(), h.hour() + 1, occ * 100))
                        .append(bar(occ / 0.025, 34)).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "abandon rate per hour (each # = 0.1%%; | marks the %.0f%% cap)%n", cap * 100));
        for (Run r : runs) {
            for (Hour h : r.hours()) {
                b.append(String.format(Locale.ROOT, "%-11s h%d %5.2f%% ", r.mode().word(), h.hour() + 1,
                        h.abandonRate() * 100)).append(bar(h.abandonRate() / 0.001, (int) Math.round(cap / 0.001)))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String bar(double units, int markAt) {
        int n = (int) Math.round(units);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.max(n, markAt + 1); i++) {
            s.append(i == markAt ? '|' : i < n ? '#' : ' ');
        }
        return s.toString().stripTrailing();
    }
}
