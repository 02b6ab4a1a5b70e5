package dev.ivr.server.outbound.pacing;

import java.time.Duration;
import java.time.Instant;

/**
 * One campaign's pacing: how many new calls to place at a decision, from what the dialer sees now
 * ({@link PacingInput}) and what its calls measured ({@link PacingStats}).
 *
 * <ul>
 * <li><b>progressive</b>: one call per ready agent: ready agents minus calls ringing and answered
 * calls still waiting for an agent. No call is answered without an agent to take it, unless an
 * agent is taken elsewhere in between.</li>
 * <li><b>predictive</b>: the agents who will be free when the calls placed now are answered (the
 * ready ones, plus the busy ones expected to finish within the measured connect time given the
 * measured handle time) are matched against the answered calls expected from the calls ringing
 * (binomial with the measured answer rate). It rings as many calls as keep the expected abandoned
 * calls (answered ones beyond the free agents) at or under an allowance of the answered ones. The
 * allowance is a share of the abandon cap that shrinks as the abandon rate of the last hour and of
 * the rolling window (24 h) come near the cap; at or over the cap on either, and until enough dial
 * results and handled calls are measured, it dials as progressive does.</li>
 * </ul>
 * Thread-safe as {@link PacingStats} is; decisions are pure functions of the input and the stats.
 */
public final class Pacing {
    /** Share of the cap a decision may spend when the measured rates are far under it. */
    static final double BASE_SHARE = 0.6;
    /**
     * Calls whose handle time must be measured before predictive pacing starts: until agents have
     * finished calls, when they will be free is a guess (at the start every agent is on a young call).
     */
    static final int MIN_HANDLED = 10;
    private static final Duration HOUR = Duration.ofHours(1);

    private final DialMode mode;
    private final PacingSettings settings;
    private final PacingStats stats;

    public Pacing(DialMode mode, PacingSettings settings, PacingStats stats) {
        if (!mode.agentHandled() || mode == DialMode.PREVIEW) {
            throw new IllegalArgumentException("pacing is for progressive and predictive campaigns, not " + mode.word());
        }
        this.mode = mode;
        this.settings = settings;
        this.stats = stats;
    }

    public Pacing(DialMode mode, PacingSettings settings) {
        this(mode, settings, new PacingStats(settings.abandonWindow()));
    }

    public DialMode mode() {
        return mode;
    }

    public PacingSettings settings() {
        return settings;
    }

    public PacingStats stats() {
        return stats;
    }

    /** New calls to place now (never negative). */
    public int toDial(PacingInput in, Instant now) {
        int progressive = Math.max(0, in.readyAgents() - in.ringing() - in.waitingForAgent());
        if (mode == DialMode.PROGRESSIVE) {
            return progressive;
        }
        return Math.max(progressive, predictive(in, now));
    }

    /** The allowance of expected abandoned calls per expected answered call for the next decision. */
    public double allowance(Instant now) {
        double cap = settings.abandonCap();
        double hour = stats.abandonRate(now, HOUR);
        double window = stats.abandonRate(now, settings.abandonWindow());
        double worst = Math.max(hour, window);
        if (worst >= cap) {
            return 0;
        }
        return cap * BASE_SHARE * (1 - worst / cap);
    }

    private int predictive(PacingInput in, Instant now) {
        if (stats.samples() < settings.minSamples() || stats.handledCalls() < MIN_HANDLED) {
            return 0;
        }
        double allowance = allowance(now);
        if (allowance <= 0) {
            return 0;
        }
        double p = stats.answerRate().orElse(0);
        if (p <= 0) {
            return 0;
        }
        double handle = stats.handleSeconds().orElse(settings.defaultHandleTime().toMillis() / 1000.0);
        double connect = stats.connectSeconds().orElse(0);
        double freeing = in.busyAgents() * Math.min(1, connect / Math.max(1, handle));
        double free = in.readyAgents() + freeing - in.waitingForAgent();
        if (free <= 0) {
            return 0;
        }
        int maxLines = (int) Math.floor((in.readyAgents() + in.busyAgents()) * settings.maxLinesPerAgent());
        int lines = in.ringing();
        while (lines < maxLines && withinAllowance(lines + 1, p, free, allowance)) {
            lines++;
        }
        return Math.max(0, lines - in.ringing());
    }

    /** Whether {@code lines} ringing calls keep E[abandoned] at or under allowance * E[answered]. */
    static boolean withinAllowance(int lines, double p, double free, double allowance) {
        return expectedAbandoned(lines, p, free) <= allowance * lines * p;
    }

    /** E[max(0, K - free)] for K answered of {@code lines} calls answered each with probability p. */
    static double expectedAbandoned(int lines, double p, double free) {
        if (p >= 1) {
            return Math.max(0, lines - free);
        }
        double q = 1 - p;
        double pmf = Math.pow(q, lines); // P(K = 0)
        double expected = 0;
        for (int k = 0; k <= lines; k++) {
            if (k > free) {
                expected += pmf * (k - free);
            }
            pmf = pmf * (lines - k) / (k + 1) * p / q; // P(K = k + 1)
        }
        return expected;
    }
}
