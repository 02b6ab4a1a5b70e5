package dev.ivr.server.callcontext;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The call contexts of the cluster (Hazelcast map {@value #MAP}, with backups), each kept for
 * a time to live after it was stored, so that any server, desktop or integration can read
 * the context of a call it did not route.
 */
public final class CallContexts {
    public static final String MAP = "ivr.call-contexts";
    private static final Logger LOG = LoggerFactory.getLogger(CallContexts.class);

    private final IMap<String, CallContext> map;
    private final Duration ttl;

    public CallContexts(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    public void put(CallContext context) {
        map.set(context.callId(), context, ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The context of a call; empty when unknown, expired, or not sealed for this call with the cluster's key. */
    public Optional<CallContext> get(String callId) {
        try {
            return Optional.ofNullable(map.get(callId)).filter(c -> c.belongsTo(callId));
        } catch (HazelcastSerializationException e) {
            LOG.warn("a call context that does not open with the cluster's key was refused: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public void remove(String callId) {
        map.delete(callId);
    }
}
