package dev.ivr.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.wire.ClusterValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints in a Hazelcast map shared by the cluster (with the cluster's backup count), each
 * entry living {@code ttl} after its last write: a call that never ends cleanly does not stay.
 * A cluster problem never fails a call: it is logged and the call goes on without checkpoint.
 */
public final class HazelcastCheckpoints implements Checkpoints {
    public static final String MAP = "ivr.flow.checkpoints";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastCheckpoints.class);

    /** A checkpoint as kept in the cluster: sealed, and bound to its call id. */
    record Checkpoint(String callId, String state) implements ClusterValue {
        @Override
        public String key() {
            return callId;
        }
    }

    private final IMap<String, Checkpoint> map;
    private final long ttlMillis;

    public HazelcastCheckpoints(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttlMillis = ttl.toMillis();
    }

    /**
     * Sends the checkpoint without waiting for it (nor for its backup) to be stored: a flow step
     * is not held up by a cluster round trip before its next command. Writes of one call go in
     * order to the partition that owns its key, and the delete at its end comes after them.
     */
    @Override
    public void save(String callId, String state) {
        try {
            map.setAsync(callId, new Checkpoint(callId, state), ttlMillis, TimeUnit.MILLISECONDS).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("checkpoint not saved: {}", e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not saved: {}", e.toString());
        }
    }

    @Override
    public Optional<String> load(String callId) {
        try {
            return Optional.ofNullable(map.get(callId)).filter(c -> c.belongsTo(callId)).map(Checkpoint::state);
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not read: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void delete(String callId) {
        try {
            map.delete(callId);
        } catch (RuntimeException e) {
            LOG.warn("checkpoint not deleted: {}", e.toString());
        }
    }
}
