package dev.ivr.server.routing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ivr.routing.Reservation;
import dev.ivr.server.wire.ClusterValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Offers in progress, cluster-wide (Hazelcast map {@value #MAP}, with a time to live): the
 * reservation behind an agent's ringing phone, so that whichever server the dialplan's
 * {@code agent-answered} or {@code route-ended} report reaches can act on it, and the answer
 * is counted once.
 */
final class Offers {
    static final String MAP = "ivr.routing.offers";

    /** How the agent is being reached. */
    enum Mode { EXEC, DIALPLAN, CALLBACK }

    /** A reservation as stored; {@code answeredAt} is 0 until the agent answers. */
    record Offer(String callId, String queueId, String agentId, String agentName, String endpoint, int offer,
                 long offeredAt, long ringMillis, Mode mode, String ownerNode, long answeredAt) implements ClusterValue {
        @Override
        public String key() {
            return callId;
        }

        static Offer of(Reservation r, Mode mode, String ownerNode) {
            return new Offer(r.callId(), r.queueId(), r.agentId(), r.agentName(), r.endpoint(), r.offer(),
                    r.offeredAt().toEpochMilli(), r.ringTime().toMillis(), mode, ownerNode, 0);
        }

        Reservation reservation() {
            return new Reservation(callId, queueId, agentId, agentName, endpoint, offer, Instant.ofEpochMilli(offeredAt),
                    Duration.ofMillis(ringMillis));
        }

        boolean answered() {
            return answeredAt != 0;
        }

        Offer answered(Instant at) {
            return new Offer(callId, queueId, agentId, agentName, endpoint, offer, offeredAt, ringMillis, mode, ownerNode,
                    at.toEpochMilli());
        }
    }

    private final IMap<String, Offer> map;
    private final Duration ttl;

    Offers(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    void put(Offer offer) {
        map.set(offer.callId(), offer, ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    Optional<Offer> get(String callId) {
        try {
            return Optional.ofNullable(map.get(callId)).filter(o -> o.belongsTo(callId));
        } catch (com.hazelcast.nio.serialization.HazelcastSerializationException e) { // not sealed with the cluster's key
            return Optional.empty();
        }
    }

    /**
     * Marks the offer answered if it was not yet.
     *
     * @return the offer as it was before when this call marked it (the caller reports the
     * answer), empty when there is no such offer or it was marked already
     */
    Optional<Offer> markAnswered(String callId, Instant at) {
        return Optional.ofNullable(map.executeOnKey(callId, new MarkAnswered(at.toEpochMilli())));
    }

    /** Marks an offer answered on its partition, atomically; answers the offer as it was, or null when it was not marked now. */
    record MarkAnswered(long at) implements EntryProcessor<String, Offer, Offer>, ClusterValue {
        @Override
        public Offer process(java.util.Map.Entry<String, Offer> entry) {
            Offer current = entry.getValue();
            if (current == null || current.answered() || !current.belongsTo(entry.getKey())) {
                return null;
            }
            entry.setValue(current.answered(Instant.ofEpochMilli(at)));
            return current;
        }
    }

    /**
     * Whether an offer to the agent is still in progress, not answered: the agent's phone rings with a call routed
     * here even when the reservation behind it ran out (a late answer may still come).
     */
    boolean ringing(String agentId) {
        try {
            return map.values().stream().anyMatch(o -> o.agentId().equals(agentId) && !o.answered());
        } catch (com.hazelcast.nio.serialization.HazelcastSerializationException e) { // not sealed with the cluster's key
            return false;
        }
    }

    void remove(String callId) {
        map.delete(callId);
    }
}
