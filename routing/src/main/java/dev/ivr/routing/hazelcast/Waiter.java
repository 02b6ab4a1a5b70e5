package dev.ivr.routing.hazelcast;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the thread waiting for a call owned by this node whenever the call's entry changes, and runs the one-shot
 * listeners registered for the next change (on the signalling thread, after the lock is released).
 */
final class Waiter {
    final long incarnation;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long signals;
    private List<Runnable> listeners;

    Waiter(long incarnation) {
        this.incarnation = incarnation;
    }

    long signals() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        List<Runnable> run;
        lock.lock();
        try {
            signals++;
            changed.signalAll();
            run = listeners;
            listeners = null;
        } finally {
            lock.unlock();
        }
        if (run != null) {
            run.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code listener} once, at the first signal after {@code seen}; false (and not registered) when that
     * signal has come already.
     */
    boolean onSignalAfter(long seen, Runnable listener) {
        lock.lock();
        try {
            if (signals != seen) {
                return false;
            }
            if (listeners == null) {
                listeners = new ArrayList<>(2);
            }
            listeners.add(listener);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a listener not run yet. */
    void remove(Runnable listener) {
        lock.lock();
        try {
            if (listeners != null && listeners.remove(listener) && listeners.isEmpty()) {
                listeners = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Listeners registered and not run yet (for tests). */
    int listenerCount() {
        lock.lock();
        try {
            return listeners == null ? 0 : listeners.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a signal newer than {@code seen} arrives or {@code nanos} pass. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (signals == seen && left > 0) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    static long toNanos(long millis) {
        return millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
