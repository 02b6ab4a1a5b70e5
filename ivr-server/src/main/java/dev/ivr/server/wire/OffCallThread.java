package dev.ivr.server.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a call's cluster operations on a few platform threads instead of the call's own virtual thread: one instance per
 * server, made when it starts and closed when it stops, handed to what runs the calls' cluster operations (the flow
 * engine's checkpoints, routing's service and agent connector).
 *
 * <p>Why: Hazelcast (5.7) keeps a serialization buffer pool per thread ({@code BufferPoolThreadLocal}), with an output
 * buffer of 4,096 bytes, for as long as the thread lives, and its initial size cannot be configured. Every call runs
 * on a virtual thread of its own that lives as long as the call: a call that touched the cluster once (its checkpoint
 * claim, its queue entry) kept about 4.5 KB of Hazelcast's for its whole length, 10,000 waiting callers 45 MB. The
 * operations handed here serialise on this instance's threads, which keep one pool each.
 *
 * <p>What does not change: the call's thread waits for the operation as it did (its result, or what it threw, is the
 * call's; an interrupt of the waiting thread is kept for it, the operation is not cancelled: Hazelcast's synchronous
 * operations do not stop for an interrupt either); the log lines written by the operation carry the call's id
 * ({@code call} in the MDC). From a platform thread (Hazelcast's own, the common pool, a test) the operation runs in
 * place. When all {@value #MAX_THREADS} threads are busy (a slow or stalled cluster, a starved CPU while calls arrive)
 * the operation runs on a virtual thread of its own that ends with it (its buffer goes with it), so a stall never
 * queues calls behind each other here; running it on the call's own thread instead left half of 10,000 waiting callers
 * with a buffer in a benchmark on a busy machine.
 */
public final class OffCallThread implements AutoCloseable {
    /** At most this many threads; idle ones end after {@link #KEEP_ALIVE_SECONDS}. */
    static final int MAX_THREADS = 64;
    static final long KEEP_ALIVE_SECONDS = 30;
    /** How long {@link #close} waits for the operations under way. */
    private static final long CLOSE_WAIT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(OffCallThread.class);
    private static final ThreadFactory OVERFLOW = Thread.ofVirtual().name("ivr-cluster-op-overflow").factory();

    private final ThreadPoolExecutor pool;

    /**
     * Threads of its own, made as needed, for one server (its lifecycle closes it). After {@link #close} an operation
     * still handed here runs on a virtual thread of its own, as one that finds every thread busy.
     */
    public OffCallThread() {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "ivr-cluster-op-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(0, MAX_THREADS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory, (task, busy) -> OVERFLOW.newThread(task).start());
    }

    /** The group of the calls' platform threads ({@code agi.call-threads: platform}), which marks them as calls'. */
    private static final ThreadGroup PLATFORM_CALLS = new ThreadGroup("ivr-calls");

    /**
     * A builder of platform threads that {@link #onCallThread} counts as calls' (the AGI listener's, with
     * {@code agi.call-threads: platform}): a call on one keeps Hazelcast's buffers as long as a virtual one would.
     */
    public static Thread.Builder.OfPlatform platformCallThreads() {
        return Thread.ofPlatform().group(PLATFORM_CALLS);
    }

    /**
     * Whether the current thread is one a cluster operation should leave: a virtual thread (a call's, by default) or a
     * call's platform thread (made by {@link #platformCallThreads}).
     */
    public static boolean onCallThread() {
        Thread t = Thread.currentThread();
        return t.isVirtual() || t.getThreadGroup() == PLATFORM_CALLS;
    }

    /** {@code operation}'s result, computed off the call's thread when called on one (see the class). */
    public <T> T call(Supplier<T> operation) {
        if (!onCallThread()) {
            return operation.get();
        }
        String call = MDC.get("call");
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> withCall(call, operation), pool);
        try {
            return result.join(); // waits without giving up on an interrupt, and keeps it for the caller
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** {@link #call} for an operation without a result. */
    public void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    /**
     * {@code operation} started off the call's thread without waiting for it (an asynchronous write whose completion
     * is handled by its own callbacks); in place from any other thread. What it throws is its own to handle.
     */
    public void send(Runnable operation) {
        if (!onCallThread()) {
            operation.run();
            return;
        }
        String call = MDC.get("call");
        pool.execute(() -> withCall(call, () -> {
            operation.run();
            return null;
        }));
    }

    /** Stops the threads once the operations under way are done (waits up to {@value #CLOSE_WAIT_SECONDS} s for them). */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} cluster operation(s) of calls still running after {} s", pool.getActiveCount(),
                        CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T withCall(String call, Supplier<T> operation) {
        if (call == null) {
            return operation.get();
        }
        MDC.put("call", call);
        try {
            return operation.get();
        } finally {
            MDC.remove("call");
        }
    }
}
