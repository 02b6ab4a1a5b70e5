package dev.ivr.server.json;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A byte buffer to encode into, and a second one to transform into (sealing), reused: {@link #take() taken} from a
 * pool shared by all threads, {@link #giveBack() given back} once the bytes are written out. At most {@value #POOLED}
 * are kept, none over 64 KiB (a larger one is left to the garbage collector).
 */
public final class PooledBytes extends ByteArrayOutputStream {
    static final int POOLED = 64;
    static final int MAX_KEPT = 64 * 1024;
    private static final BlockingQueue<PooledBytes> POOL = new ArrayBlockingQueue<>(POOLED);

    private byte[] second = new byte[0];

    private PooledBytes() {
        super(4096);
    }

    /** A buffer from the pool, or a new one; empty. */
    public static PooledBytes take() {
        PooledBytes b = POOL.poll();
        return b != null ? b : new PooledBytes();
    }

    /** Back to the pool: neither buffer may be used after this. */
    public void giveBack() {
        reset();
        if (buf.length <= MAX_KEPT && second.length <= MAX_KEPT) {
            POOL.offer(this);
        }
    }

    /** The buffer itself (the first {@link #size()} bytes are what was written): no copy. */
    public byte[] bytes() {
        return buf;
    }

    /** The second buffer, at least {@code n} bytes; its content is whatever was left there. */
    public byte[] room(int n) {
        if (second.length < n) {
            second = new byte[Math.max(n, Math.max(4096, second.length * 2))];
        }
        return second;
    }
}
