package dev.ivr.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/** Jackson set up for the calls' virtual threads. */
public final class PooledJson {
    private PooledJson() {
    }

    /**
     * A new factory whose generators and parsers take their buffers from Jackson's pool shared by all threads
     * ({@link JsonRecyclerPools#sharedBoundedPool()}), for an {@code ObjectMapper} used on the calls' threads.
     */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();
    }

    /**
     * Buffers from the same shared pool, for text built outside a mapper (a {@code SegmentedStringWriter}); the caller
     * hands them back with {@link BufferRecycler#releaseToPool()}.
     */
    public static BufferRecycler buffers() {
        return JsonRecyclerPools.sharedBoundedPool().acquireAndLinkPooled();
    }
}
