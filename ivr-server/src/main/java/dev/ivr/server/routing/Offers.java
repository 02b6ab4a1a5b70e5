package dev.ivr.server.routing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.routing.Reservation;

import java.io.Serializable;
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
                 long offeredAt, long ringMillis, Mode mode, String ownerNode, long answeredAt) implements Serializable {

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
        return Optional.ofNullable(map.get(callId));
    }

    /**
     * Marks the offer answered if it was not yet.
     *
     * @return the offer as it was before when this call marked it (the caller reports the
     * answer), empty when there is no such offer or it was marked already
     */
    Optional<Offer> markAnswered(String callId, Instant at) {
        while (true) {
            Offer current = map.get(callId);
            if (current == null || current.answered()) {
                return Optional.empty();
            }
            if (map.replace(callId, current, current.answered(at))) {
                return Optional.of(current);
            }
        }
    }

    void remove(String callId) {
        map.delete(callId);
    }
}
