package dev.ivr.routing.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An entry processor applying one transition to an agent's entry, atomically on the partition that owns it.
 * Deterministic (all inputs, including the time, are fields), so it is also run as-is on backups. Its random
 * {@code token} is stored in the record it produces: if Hazelcast runs it again (an invocation retried after the
 * member owning the partition died before replying), it reports the earlier result instead of applying twice.
 */
public record AgentCommand(Op op, long now, String callId, String queueId, String owner, long session, long millis,
                           String reason, AgentProfile profile, String decider, long token)
        implements EntryProcessor<String, AgentRecord, AgentResult>, Wire {

    public enum Op {
        LOGIN, READY, NOT_READY, WRAP_UP_DONE, LOGOUT, RESERVE, RELEASE, EXPIRE, ANSWER, OFFER_FAILED, CALL_ENDED,
        WRAP_UP_EXPIRED, OWNER_LOST, EXTEND_WRAP_UP, SET_SKILLS
    }

    static AgentCommand login(AgentProfile profile, long session, long now) {
        return new AgentCommand(Op.LOGIN, now, null, null, null, session, 0, null, profile, null, newToken());
    }

    static AgentCommand simple(Op op, long now) {
        return new AgentCommand(op, now, null, null, null, 0, 0, null, null, null, newToken());
    }

    static AgentCommand notReady(String reason, long now) {
        return new AgentCommand(Op.NOT_READY, now, null, null, null, 0, 0, reason, null, null, newToken());
    }

    static AgentCommand reserve(long session, String callId, String queueId, String owner, long until, long now) {
        return reserve(session, callId, queueId, owner, until, now, null);
    }

    static AgentCommand reserve(long session, String callId, String queueId, String owner, long until, long now,
                                String decider) {
        return new AgentCommand(Op.RESERVE, now, callId, queueId, owner, session, until, null, null, decider,
                newToken());
    }

    static AgentCommand forCall(Op op, String callId, long now) {
        return new AgentCommand(op, now, callId, null, null, 0, 0, null, null, null, newToken());
    }

    static AgentCommand offerFailed(String callId, String reason, long now) {
        return new AgentCommand(Op.OFFER_FAILED, now, callId, null, null, 0, 0, reason, null, null, newToken());
    }

    static AgentCommand callEnded(String callId, long wrapUpMillis, long now) {
        return new AgentCommand(Op.CALL_ENDED, now, callId, null, null, 0, wrapUpMillis, null, null, null, newToken());
    }

    static AgentCommand extendWrapUp(long millis, long now) {
        return new AgentCommand(Op.EXTEND_WRAP_UP, now, null, null, null, 0, millis, null, null, null, newToken());
    }

    /** New skills: carried in a profile (only its skills are used). */
    static AgentCommand setSkills(AgentProfile skills, long now) {
        return new AgentCommand(Op.SET_SKILLS, now, null, null, null, 0, 0, null, skills, null, newToken());
    }

    static AgentCommand ownerLost(String owner, long holdMillis, long now) {
        return new AgentCommand(Op.OWNER_LOST, now, null, null, owner, 0, holdMillis, null, null, null, newToken());
    }

    private static long newToken() {
        long token;
        do {
            token = ThreadLocalRandom.current().nextLong();
        } while (token == 0);
        return token;
    }

    @Override
    public AgentResult process(Map.Entry<String, AgentRecord> entry) {
        AgentRecord current = entry.getValue();
        if (current != null && current.token() == token) {
            return new AgentResult(true, current.prevState(), current.prevSince(), current);
        }
        AgentRecord next = apply(current);
        if (next == null) {
            return new AgentResult(false, current == null ? null : current.state(), 0, current);
        }
        if (next != current) {
            next = next.stamped(token);
            entry.setValue(next);
        }
        return new AgentResult(true, current == null ? AgentState.LOGGED_OUT : current.state(),
                current == null ? 0 : current.stateSince(), next);
    }

    /** The transition itself, without Hazelcast. */
    AgentRecord apply(AgentRecord current) {
        if (op == Op.LOGIN) {
            return AgentRecord.login(current, profile, session, now);
        }
        if (current == null) {
            return null;
        }
        return switch (op) {
            case LOGIN -> throw new AssertionError();
            case READY -> current.ready(now);
            case NOT_READY -> current.notReady(reason, now);
            case WRAP_UP_DONE -> current.wrapUpDone(now);
            case LOGOUT -> current.logout(now);
            case RESERVE -> current.reserve(session, callId, queueId, owner, millis, now, decider);
            case RELEASE -> current.release(callId, now);
            case EXPIRE -> current.expire(callId, now);
            case ANSWER -> current.answer(callId, now);
            case OFFER_FAILED -> current.offerFailed(callId, reason, now);
            case CALL_ENDED -> current.callEnded(callId, millis, now);
            case WRAP_UP_EXPIRED -> current.wrapUpExpired(now);
            case OWNER_LOST -> current.ownerLost(owner, millis, now);
            case EXTEND_WRAP_UP -> current.extendWrapUp(millis, now);
            case SET_SKILLS -> current.withSkills(profile.skills());
        };
    }
}
