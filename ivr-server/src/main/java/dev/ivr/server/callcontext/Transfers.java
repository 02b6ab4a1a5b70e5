package dev.ivr.server.callcontext;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Pending transfers of the cluster (Hazelcast map {@value #MAP}, with backups): an agent's
 * desktop puts one on any server; the server running the call takes it when the agent's leg
 * ends. Each is kept for a time to live, so one never picked up (the caller hung up first) goes.
 */
public final class Transfers {
    public static final String MAP = "ivr.transfers";

    private final IMap<String, Transfer> map;
    private final Duration ttl;

    public Transfers(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    /** Stores the transfer; false when one is already pending for the call. */
    public boolean request(Transfer t) {
        return map.putIfAbsent(t.callId(), t, ttl.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    /** Takes (removes) the pending transfer of a call, if any. */
    public Optional<Transfer> take(String callId) {
        return Optional.ofNullable(map.remove(callId)).filter(t -> t.belongsTo(callId));
    }

    /** Drops a pending transfer (the PBX could not end the agent's leg). */
    public void cancel(String callId) {
        map.delete(callId);
    }
}
