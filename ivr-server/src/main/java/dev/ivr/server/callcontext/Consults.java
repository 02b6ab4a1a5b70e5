package dev.ivr.server.callcontext;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.wire.ClusterValue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Consult transfers in progress (Hazelcast map {@value #MAP}, by call id), and the channel of each agent's
 * answered leg (map {@value #LEGS}, by agent id: the answer subroutine reports it; a consult moves and bridges
 * that exact channel). Both are kept for a time to live.
 */
public final class Consults {
    public static final String MAP = "ivr.consults";
    public static final String LEGS = "ivr.agent-legs";
    /** The dialplan context of consults ({@code config/asterisk/extensions.conf}). */
    public static final String CONTEXT = "ivr-consult";
    /** Its extension where the consulting agent holds. */
    public static final String HOLD_EXTEN = "hold";
    /** Its extension the target's channel runs once it answers: {@code Bridge(${IVR_CONSULT_PEER})}. */
    public static final String TALK_EXTEN = "s";
    /** The target channel's variable naming the consulting agent's channel. */
    public static final String PEER_VARIABLE = "IVR_CONSULT_PEER";

    /** An agent's answered leg. */
    public record AgentLeg(String agentId, String callId, String channel) implements ClusterValue {
        @Override
        public String key() {
            return agentId;
        }
    }

    private final IMap<String, Consult> map;
    private final IMap<String, AgentLeg> legs;
    private final Duration ttl;

    public Consults(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.legs = hazelcast.getMap(LEGS);
        this.ttl = ttl;
    }

    /** The agent answered a call on this channel. */
    public void legAnswered(String agentId, String callId, String channel) {
        legs.set(agentId, new AgentLeg(agentId, callId, channel), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The channel of the agent's answered leg of this call, if it was reported. */
    public Optional<String> legOf(String agentId, String callId) {
        return Optional.ofNullable(legs.get(agentId)).filter(l -> l.belongsTo(agentId) && callId.equals(l.callId()))
                .map(AgentLeg::channel);
    }

    /** Starts one; false when one (or a blind transfer) is already under way for the call. */
    public boolean start(Consult c) {
        return map.putIfAbsent(c.callId(), c, ttl.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    public Optional<Consult> get(String callId) {
        return Optional.ofNullable(map.get(callId)).filter(c -> c.belongsTo(callId));
    }

    /**
     * Changes the call's consult under the cluster's lock of its key.
     *
     * @param change the new value from the current one, or null to leave it
     * @return the consult as it is afterwards (empty: there is none)
     */
    public Optional<Consult> change(String callId, java.util.function.UnaryOperator<Consult> change) {
        map.lock(callId);
        try {
            Optional<Consult> now = get(callId);
            if (now.isEmpty()) {
                return now;
            }
            Consult next = change.apply(now.get());
            if (next == null) {
                return now;
            }
            map.set(callId, next, ttl.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(next);
        } finally {
            map.unlock(callId);
        }
    }

    /** The consult is over (the call goes on with the target or the agent). */
    public void end(String callId) {
        map.delete(callId);
    }
}
