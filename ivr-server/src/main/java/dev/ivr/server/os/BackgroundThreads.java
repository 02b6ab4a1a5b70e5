package dev.ivr.server.os;

import java.util.concurrent.ThreadFactory;

/**
 * The platform threads of the server's background writers and loops (the journal's and the contact history's
 * writers, the live KPIs, the journal tail, the sweeps): each lowers its own priority first ({@link ThreadNice}), by
 * {@code node.background-nice} steps, so that with the server's CPU busy the calls' threads run before them. Their
 * work is off the calls' path (the calls hand it over and do not wait for it), so they catch up when the CPU is
 * free again.
 *
 * <p>The settings are the process's, set once at the server's start ({@link #lowerBy}, {@link #idle}); 0 and
 * false (the values until then) leave the threads at the calls' priority.
 */
public final class BackgroundThreads {
    private static volatile int lowerBy;
    private static volatile boolean idle;

    private BackgroundThreads() {
    }

    /** How many nice steps the background threads started from now on go below the process (0: none). */
    public static void lowerBy(int steps) {
        if (steps < 0 || steps > ThreadNice.MAX) {
            throw new IllegalArgumentException("nice steps must be 0-" + ThreadNice.MAX + ": " + steps);
        }
        lowerBy = steps;
    }

    /**
     * Whether the background threads started from now on run under Linux's {@code SCHED_IDLE} policy instead
     * ({@link ThreadNice#idleCurrentThread}): preempted the moment a call's thread wakes, given only the CPU time
     * nothing else wants. Where that cannot be set, they fall back to {@link #lowerBy}'s nice value.
     */
    public static void idle(boolean on) {
        idle = on;
    }

    /** Starts a daemon platform thread that lowers its priority, then runs {@code loop}. */
    public static Thread start(String name, Runnable loop) {
        Thread t = factory(name).newThread(loop);
        t.start();
        return t;
    }

    /** Daemon platform threads of this name that lower their priority before their task (for executors). */
    public static ThreadFactory factory(String name) {
        ThreadFactory platform = Thread.ofPlatform().daemon().name(name).factory();
        return task -> {
            int steps = lowerBy;
            boolean idlePolicy = idle;
            return platform.newThread(() -> {
                if (!idlePolicy || !ThreadNice.idleCurrentThread()) {
                    ThreadNice.lowerCurrentThread(steps);
                }
                task.run();
            });
        };
    }
}
