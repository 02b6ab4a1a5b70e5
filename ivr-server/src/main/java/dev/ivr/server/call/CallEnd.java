package dev.ivr.server.call;

import java.util.ArrayList;
import java.util.List;

/**
 * What a call's thread does after the call's connection to the PBX is closed: the waits that nothing the PBX or the
 * caller sees should sit behind (the journal's force of the call's last events), and what says the call ended (the
 * listeners of those events, the "call ended" log line, the count of calls), in the order they were added. The AGI
 * listener runs each call in {@link #run}; code on a call's thread defers with {@link #later}, and does the work at
 * once where there is no such scope (a flow run outside a call's connection, a test).
 */
public final class CallEnd {
    private static final ThreadLocal<CallEnd> CURRENT = new ThreadLocal<>();

    private final List<Runnable> tasks = new ArrayList<>(2);

    private CallEnd() {
    }

    /**
     * Runs {@code call} (the call, up to its connection's close), then on this thread what it deferred with
     * {@link #later}, in order, each whatever the ones before did (a task that throws does not stop the next; the
     * first failure is thrown at the end, after the call's own).
     */
    public static void run(Runnable call) {
        CallEnd scope = new CallEnd();
        CallEnd outer = CURRENT.get();
        CURRENT.set(scope);
        Throwable failure = null;
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            CURRENT.set(outer);
            for (Runnable task : scope.tasks) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * Runs {@code task} once this thread's call has closed its connection to the PBX (see {@link #run}), or now when
     * this thread runs no call in {@link #run}.
     */
    public static void later(Runnable task) {
        CallEnd scope = CURRENT.get();
        if (scope == null) {
            task.run();
        } else {
            scope.tasks.add(task);
        }
    }

    /** Whether {@link #later} would defer on this thread (it runs a call in {@link #run}). */
    public static boolean deferring() {
        return CURRENT.get() != null;
    }
}
