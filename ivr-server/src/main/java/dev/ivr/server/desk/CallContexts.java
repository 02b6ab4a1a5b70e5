package dev.ivr.server.desk;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

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

    private final IMap<String, CallContext> map;
    private final Duration ttl;

    public CallContexts(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    public void put(CallContext context) {
        map.set(context.callId(), context, ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<CallContext> get(String callId) {
        return Optional.ofNullable(map.get(callId));
    }

    public void remove(String callId) {
        map.delete(callId);
    }
}
