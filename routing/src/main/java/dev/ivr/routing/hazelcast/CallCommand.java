package dev.ivr.routing.hazelcast;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An entry processor applying one change to a waiting call's entry. Deterministic, also run on backups; a retried
 * OFFER or REQUEUE is recognised by its token (see {@link AgentCommand}).
 */
public record CallCommand(Op op, long now, String agentId, String agentName, String endpoint, long token)
        implements EntryProcessor<String, CallRecord, CallResult>, Wire {

    public enum Op {
        /** Waiting to offered to {@code agentId}. */
        OFFER,
        /** Offered to {@code agentId} back to waiting, at the head of the queue. */
        REQUEUE,
        /** Removed whatever its state (caller hung up). */
        REMOVE,
        /** Removed if offered to {@code agentId} (answered). */
        REMOVE_IF_OFFERED,
        /** Removed if waiting and not offered (maximum wait). */
        REMOVE_IF_WAITING,
        /** Removed if owned by node {@code agentId} (owner left the cluster). */
        REMOVE_IF_OWNER,
        /** Owned by node {@code agentId} from now on, if waiting and still owned by node {@code agentName}. */
        ADOPT
    }

    static CallCommand offer(AgentRecord agent, long now) {
        return new CallCommand(Op.OFFER, now, agent.id(), agent.name(), agent.endpoint(), newToken());
    }

    static CallCommand of(Op op, String agentOrOwner, long now) {
        return new CallCommand(op, now, agentOrOwner, null, null, newToken());
    }

    /** Node {@code owner} takes over a waiting call of node {@code previousOwner}. */
    static CallCommand adopt(String owner, String previousOwner, long now) {
        return new CallCommand(Op.ADOPT, now, owner, previousOwner, null, newToken());
    }

    private static long newToken() {
        long token;
        do {
            token = ThreadLocalRandom.current().nextLong();
        } while (token == 0);
        return token;
    }

    @Override
    public CallResult process(Map.Entry<String, CallRecord> entry) {
        CallRecord current = entry.getValue();
        if (current == null) {
            return new CallResult(false, null, null);
        }
        if (current.token() == token) {
            return new CallResult(true, current, current);
        }
        boolean remove = switch (op) {
            case REMOVE -> true;
            case REMOVE_IF_OFFERED -> current.isOfferedTo(agentId);
            case REMOVE_IF_WAITING -> !current.isOffered();
            case REMOVE_IF_OWNER -> agentId.equals(current.owner());
            case OFFER, REQUEUE, ADOPT -> false;
        };
        if (remove) {
            entry.setValue(null);
            return new CallResult(true, current, null);
        }
        CallRecord next = switch (op) {
            case OFFER -> current.offer(agentId, agentName, endpoint, now);
            case REQUEUE -> current.requeue(agentId);
            case ADOPT -> current.isOffered() || !current.owner().equals(agentName) ? null : current.ownedBy(agentId);
            default -> null;
        };
        if (next == null) {
            return new CallResult(false, current, current);
        }
        next = next.stamped(token);
        entry.setValue(next);
        return new CallResult(true, current, next);
    }
}
