package dev.ivr.server.json;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A byte buffer to encode into, and a second one to transform into (sealing), reused: {@link #take() taken} from a
 * pool shared by all threads, {@link #giveBack() given back} once the bytes are written out. At most {@value #POOLED}
 * are kept, none over 64 KiB (a larger one is left to the garbage collector). The JSON encoders (outbox, cluster
 * values) and the AGI connections' command lines ({@link #writeAscii}) use it; one thread at a time, between take and
 * give back.
 *
 * <p>The pool is {@value #POOLED} slots taken and filled with one atomic operation each, not a queue behind a lock:
 * every AGI command takes and gives back a buffer (its line), and an {@code ArrayBlockingQueue}'s lock and the
 * signal of its conditions were about 1.5% of the calls' threads' CPU samples (carr25). With the few buffers in use at
 * a time (one carrier thread per CPU), a buffer is taken from, and given back to, one of the first slots.
 */
public final class PooledBytes extends ByteArrayOutputStream {
    static final int POOLED = 64;
    static final int MAX_KEPT = 64 * 1024;
    private static final AtomicReferenceArray<PooledBytes> POOL = new AtomicReferenceArray<>(POOLED);

    private byte[] second = new byte[0];

    private PooledBytes() {
        super(4096);
    }

    /** A buffer from the pool, or a new one; empty. */
    public static PooledBytes take() {
        for (int i = 0; i < POOLED; i++) {
            if (POOL.get(i) != null) {
                PooledBytes b = POOL.getAndSet(i, null);
                if (b != null) {
                    return b;
                }
            }
        }
        return new PooledBytes();
    }

    /** Back to the pool: neither buffer may be used after this. */
    public void giveBack() {
        reset();
        if (buf.length <= MAX_KEPT && second.length <= MAX_KEPT) {
            for (int i = 0; i < POOLED; i++) {
                if (POOL.get(i) == null && POOL.compareAndSet(i, null, this)) {
                    return;
                }
            }
        }
    }

    /**
     * Appends {@code s} one byte a character if every character is ASCII (UTF-8's own bytes, without an encoder or a
     * copy of the text); else writes nothing and answers false, for the caller to encode it.
     */
    public boolean writeAscii(CharSequence s) {
        int n = s.length();
        if (count + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(count + n, buf.length * 2));
        }
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                return false;
            }
            buf[count + i] = (byte) ch;
        }
        count += n;
        return true;
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
