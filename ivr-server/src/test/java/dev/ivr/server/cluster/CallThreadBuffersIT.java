package dev.ivr.server.cluster;

import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.OneMember;
import dev.ivr.server.wire.OffCallThread;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's thread keeps no Hazelcast serialization buffer (docs/benchmarks.md, issue 16, seventeenth round, hp21):
 * Hazelcast 5.7 keeps a buffer pool, with a 4 KB output buffer, for every thread that serialises, as long as the thread
 * lives ({@code BufferPoolThreadLocal}); the checkpoints' operations, run through {@link OffCallThread}, serialise on
 * platform threads. Read from Hazelcast's internals (the pool's map of threads): when Hazelcast changes them, this test
 * says so, and the premise is to be checked again.
 */
@Tag("integration")
class CallThreadBuffersIT {
    @RegisterExtension
    static final OneMember CLUSTER = new OneMember("buffers");

    /** Whether Hazelcast keeps a serialization buffer pool for the current thread. */
    @SuppressWarnings("unchecked")
    static boolean hasBufferPool() throws ReflectiveOperationException {
        InternalSerializationService ss = (InternalSerializationService)
                ((SerializationServiceSupport) CLUSTER.hazelcast()).getSerializationService();
        Field pools = field(ss.getClass(), "bufferPoolThreadLocal");
        Object threadLocal = pools.get(ss);
        Map<Thread, ?> strong = (Map<Thread, ?>) field(threadLocal.getClass(), "strongReferences").get(threadLocal);
        return strong.containsKey(Thread.currentThread());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // the superclass's
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static <T> T onCallThread(java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aCallsThreadThatClaimsSavesLoadsAndDeletesItsCheckpointKeepsNoBuffer() throws Exception {
        HazelcastCheckpoints async = new HazelcastCheckpoints(CLUSTER.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        HazelcastCheckpoints acknowledged = new HazelcastCheckpoints(CLUSTER.hazelcast(), Duration.ofMinutes(5),
                HazelcastCheckpoints.Durability.BACKUP_ACK, OffCallThreads.SHARED);
        String[] seen = onCallThread(() -> {
            Optional<String> claimed = async.loadOrClaim("1.1", "{\"n\":1}");
            async.save("1.1", "{\"n\":2}");
            acknowledged.save("1.2", "{\"n\":3}");
            Optional<String> loaded = acknowledged.load("1.2");
            acknowledged.delete("1.2");
            return new String[] {claimed.toString(), loaded.orElse(null), Boolean.toString(hasBufferPool())};
        });
        assertThat(seen[0]).isEqualTo("Optional.empty");
        assertThat(seen[1]).isEqualTo("{\"n\":3}");
        assertThat(seen[2]).as("a Hazelcast buffer pool kept for the call's thread").isEqualTo("false");
        await().until(() -> "{\"n\":2}".equals(async.load("1.1").orElse(null)));
        async.delete("1.1");
        await().until(() -> async.load("1.1").isEmpty());
    }

    @Test
    void theTestSeesThePoolOfAThreadThatSerialises() throws Exception {
        Supplier<Boolean> direct = () -> {
            CLUSTER.hazelcast().getMap("buffers-test").set("k", "v");
            try {
                return hasBufferPool();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(onCallThread(direct::get)).isTrue();
        assertThat(onCallThread(() -> OffCallThreads.SHARED.call(() -> CLUSTER.hazelcast().getMap("buffers-test").get("k"))
                != null && !hasBufferPool())).isTrue();
    }
}
