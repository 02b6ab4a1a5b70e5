package dev.ivr.loadgen;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps a target number of calls in progress against one server: new calls start as soon as
 * others end (churn), at most {@code rampPerSecond} new calls a second. Or, open loop
 * ({@link #rate}), starts new calls at a fixed rate whatever the number in progress, as a PBX
 * does when callers keep dialling in. Each call is a fake PBX call with the scenario's caller;
 * its commands' response times and its outcome go to {@link Stats}.
 *
 * <p>With a steady ramp ({@link #steadyRamp}) a new target is reached at the rate at which its calls will end and be
 * replaced (the target divided by the mean length of the calls ended so far), not at {@code rampPerSecond}: calls that
 * start within a few seconds of each other follow the scenario's fixed prompt times and come back together, call
 * after call, so a fast ramp leaves the level's load in waves of several times its mean for minutes (t26).
 */
public final class LoadRunner implements AutoCloseable {
    private final FakePbx pbx;
    private final Scenario scenario;
    private final Duration promptTime;
    private final int rampPerSecond;
    private final Duration maxCallTime;
    private final Stats stats = new Stats();
    private final AtomicLong seed = new AtomicLong(42);
    private volatile int target;
    /** Whether the calls in progress have reached {@link #target} since it was set. */
    private volatile boolean reached;
    private volatile boolean steadyRamp;
    /** Calls ended without a failure, and their length summed: the mean call length of a steady ramp. */
    private final LongAdder endedCalls = new LongAdder();
    private final LongAdder endedNanos = new LongAdder();
    /** New calls per second in open-loop mode; 0: keep {@link #target} calls in progress instead. */
    private volatile int rate;
    private volatile boolean running = true;
    private final Thread launcher;

    public LoadRunner(String host, int port, Scenario scenario, Duration promptTime, int rampPerSecond,
                      Duration maxCallTime) {
        this.pbx = new FakePbx(host, port);
        scenario.configure(pbx);
        this.scenario = scenario;
        this.promptTime = promptTime;
        this.rampPerSecond = rampPerSecond;
        this.maxCallTime = maxCallTime;
        this.launcher = Thread.ofPlatform().name("loadgen-launcher").daemon(true).start(this::launchLoop);
    }

    public Stats stats() {
        return stats;
    }

    /** Sets how many calls should be in progress (and leaves open-loop mode). */
    public void target(int calls) {
        this.rate = 0;
        this.reached = false;
        this.target = calls;
    }

    /**
     * Reaches each new target at the rate its calls will be replaced at (target ÷ mean call length so far, at most
     * {@code rampPerSecond}) instead of at {@code rampPerSecond}, so that the calls' starts are spread over a call's
     * length; once the target is reached, calls that end are replaced at up to {@code rampPerSecond} as before.
     * Until a few calls have ended (the first target) the ramp is {@code rampPerSecond}.
     */
    public LoadRunner steadyRamp(boolean steady) {
        this.steadyRamp = steady;
        return this;
    }

    /** New calls per second at most now: {@code rampPerSecond}, or a steady ramp's rate while a target is reached. */
    int rampRate() {
        return rampRate(rampPerSecond, steadyRamp && !reached, target, endedCalls.sum(), endedNanos.sum());
    }

    /**
     * A steady ramp's rate: {@code target} ÷ the mean length of {@code ended} calls that lasted {@code endedNanos} in
     * all, at least 1 and at most {@code rampPerSecond}; {@code rampPerSecond} when not ramping steadily or before
     * {@link #MIN_ENDED_FOR_MEAN} calls have ended.
     */
    static int rampRate(int rampPerSecond, boolean steadily, int target, long ended, long endedNanos) {
        if (!steadily || ended < MIN_ENDED_FOR_MEAN || endedNanos <= 0) {
            return rampPerSecond;
        }
        double meanSeconds = endedNanos / 1e9 / ended;
        return (int) Math.max(1, Math.min(rampPerSecond, Math.round(target / meanSeconds)));
    }

    /** Calls ended before their mean length is trusted for a steady ramp. */
    static final int MIN_ENDED_FOR_MEAN = 20;

    /** Starts {@code callsPerSecond} new calls a second from now on, however many are in progress (0 stops). */
    public void rate(int callsPerSecond) {
        this.target = 0;
        this.rate = callsPerSecond;
    }

    /** Whether calls are started at a fixed rate rather than to keep a number in progress. */
    public boolean openLoop() {
        return rate > 0;
    }

    /** Waits until the target is reached (or the time is up); returns the calls in progress. */
    public int awaitTarget(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats.active() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return stats.active();
    }

    /** Waits until no more than {@code calls} are in progress (or the time is up), as calls end by themselves. */
    public int awaitAtMost(int calls, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats.active() > calls && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return stats.active();
    }

    private void launchLoop() {
        long next = System.nanoTime();
        while (running) {
            int r = rate;
            long intervalNanos = 1_000_000_000L / Math.max(1, r > 0 ? r : rampRate());
            if (r == 0 && stats.active() >= target) {
                reached = true;
                sleepNanos(2_000_000);
                next = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < next) {
                sleepNanos(next - now);
                continue;
            }
            // after a stall of the generator, start the calls that fell due in the last second at most
            next = Math.max(next + intervalNanos, now - 1_000_000_000L);
            startCall();
        }
    }

    private void startCall() {
        Random random = new Random(seed.incrementAndGet());
        stats.callStarted();
        FakePbx.CallBuilder b = pbx.call(scenario.script())
                .callerId(scenario.callerId(random))
                .caller(scenario.caller(random))
                .promptTime(promptTime)
                .listener((command, nanos) -> stats.command(label(command), nanos));
        if (!promptTime.isZero()) {
            b.realTimeouts(); // a realistic caller: silent inputs take their whole timeout
        }
        long startedAt = System.nanoTime();
        FakeCall call = b.start();
        call.result()
                .orTimeout(maxCallTime.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        call.hangUpNow();
                        stats.callEnded("call_too_long");
                    } else {
                        String failure = Failures.classify(r, scenario);
                        if (failure == null) {
                            endedNanos.add(System.nanoTime() - startedAt);
                            endedCalls.increment();
                        }
                        stats.callEnded(failure);
                    }
                });
    }

    /**
     * The name a command's response time is filed under: the command, with the application for
     * EXEC, the variable for SET VARIABLE (the flows' variables are a small fixed set) and on or off
     * for SET MUSIC (lower case: Asterisk-Java sends ON/OFF), so that a slow turn of the server can
     * be told apart (AJ_AGISTATUS is set after the script ended; music goes on after a wait's turn
     * and off before an announcement).
     */
    static String label(dev.ivr.fakepbx.AgiCommand command) {
        return switch (command.name()) {
            case "EXEC" -> "EXEC " + command.app();
            case "SET VARIABLE" -> "SET VARIABLE " + command.arg(0, "?");
            case "SET MUSIC" -> "SET MUSIC " + command.arg(0, "?").toLowerCase(java.util.Locale.ROOT);
            default -> command.name();
        };
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops starting calls; waits up to {@code drain} for those in progress to end. */
    public void stop(Duration drain) throws InterruptedException {
        rate = 0;
        target = 0;
        long deadline = System.nanoTime() + drain.toNanos();
        while (stats.active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running = false;
    }

    @Override
    public void close() {
        running = false;
        launcher.interrupt();
    }

    /** For tests: one call, synchronously. */
    CallResult single(Duration timeout) {
        Random random = new Random(seed.incrementAndGet());
        return pbx.call(scenario.script()).caller(scenario.caller(random)).promptTime(promptTime).run(timeout);
    }
}
