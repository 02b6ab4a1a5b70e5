package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An agent as stored in the agents map. Immutable; every transition returns a new record with a higher
 * {@link #version()}, or null when the transition does not apply to the current state. The transition
 * methods are pure functions of their arguments (entry processors also run them on backups).
 *
 * @param session       changes at every login; a reservation decided on an older profile is refused
 * @param stateSince    epoch millis of the last state change (for READY: since when the agent is idle)
 * @param callOwner     node owning {@link #callId()}
 * @param reservedUntil epoch millis after which a reservation is released
 * @param restoreSince  READY stateSince before the reservation, restored if it is released
 * @param prevState     state before the last applied command
 * @param prevSince     stateSince before the last applied command
 * @param token         token of the last applied command: a command retried by Hazelcast after a member
 *                      failure is recognised and not applied twice
 * @param reservedBy    node that made the current reservation (RESERVED only): if it leaves the cluster before
 *                      offering the call, the reservation is released at once
 */
public record AgentRecord(String id, String name, String endpoint, Map<String, Integer> skills,
                          Set<String> languages, long session, AgentState state, long stateSince, String reasonCode,
                          String callId, String queueId, String callOwner, long reservedUntil, long restoreSince,
                          long wrapUpUntil, String pendingReason, long version, AgentState prevState, long prevSince,
                          long token, String reservedBy) implements Wire {

    static final String LOGIN_REASON = "login";
    /** Reason code of a wrap-up held because the node owning the call left the cluster. */
    public static final String OWNER_LOST_REASON = dev.ivr.routing.RoutingEvent.OWNER_LEFT;

    public AgentRecord {
        skills = Map.copyOf(skills);
        languages = Set.copyOf(languages);
    }

    /** A login: a new agent, or a known one that is logged out, not ready or ready. */
    static AgentRecord login(AgentRecord current, AgentProfile p, long session, long now) {
        if (current != null && current.state != AgentState.LOGGED_OUT && current.state != AgentState.NOT_READY
                && current.state != AgentState.READY) {
            return null;
        }
        long version = current == null ? 1 : current.version + 1;
        return new AgentRecord(p.id(), p.name(), p.endpoint(), p.skills(), p.languages(), session,
                AgentState.NOT_READY, now, LOGIN_REASON, null, null, null, 0, 0, 0, null, version,
                current == null ? AgentState.LOGGED_OUT : current.state, current == null ? now : current.stateSince, 0,
                null);
    }

    /** A copy in {@code target} state; checks the transition against {@link AgentState#canTransitionTo}. */
    private AgentRecord to(AgentState target, long since, String reason, String callId, String queueId,
                           String callOwner, long reservedUntil, long restoreSince, long wrapUpUntil,
                           String pendingReason) {
        return to(target, since, reason, callId, queueId, callOwner, reservedUntil, restoreSince, wrapUpUntil,
                pendingReason, null);
    }

    private AgentRecord to(AgentState target, long since, String reason, String callId, String queueId,
                           String callOwner, long reservedUntil, long restoreSince, long wrapUpUntil,
                           String pendingReason, String reserver) {
        if (!state.canTransitionTo(target)) {
            return null;
        }
        return new AgentRecord(id, name, endpoint, skills, languages, session, target, since, reason, callId,
                queueId, callOwner, reservedUntil, restoreSince, wrapUpUntil, pendingReason, version + 1,
                state, stateSince, 0, reserver);
    }

    private AgentRecord withPending(String pending) {
        return new AgentRecord(id, name, endpoint, skills, languages, session, state, stateSince, reasonCode,
                callId, queueId, callOwner, reservedUntil, restoreSince, wrapUpUntil, pending, version + 1,
                state, stateSince, 0, reservedBy);
    }

    /** This record marked as produced by the command with {@code commandToken}. */
    AgentRecord stamped(long commandToken) {
        return new AgentRecord(id, name, endpoint, skills, languages, session, state, stateSince, reasonCode,
                callId, queueId, callOwner, reservedUntil, restoreSince, wrapUpUntil, pendingReason, version,
                prevState, prevSince, commandToken, reservedBy);
    }

    /** READY from NOT_READY or WRAP_UP; unchanged if already READY. */
    AgentRecord ready(long now) {
        if (state == AgentState.READY) {
            return this;
        }
        if (state != AgentState.NOT_READY && state != AgentState.WRAP_UP) {
            return null;
        }
        return to(AgentState.READY, now, null, null, null, null, 0, 0, 0, null);
    }

    /** NOT_READY now, or remembered for after the call when RESERVED or ON_CALL. */
    AgentRecord notReady(String reason, long now) {
        if (state.isBusy()) {
            return withPending(reason);
        }
        if (state == AgentState.WRAP_UP) {
            return to(AgentState.NOT_READY, now, reason, null, null, null, 0, 0, 0, null);
        }
        if (state == AgentState.NOT_READY && reason.equals(reasonCode)) {
            return this;
        }
        return to(AgentState.NOT_READY, now, reason, null, null, null, 0, 0, 0, null);
    }

    AgentRecord logout(long now) {
        if (state == AgentState.LOGGED_OUT) {
            return this;
        }
        return to(AgentState.LOGGED_OUT, now, null, null, null, null, 0, 0, 0, null);
    }

    /** READY to RESERVED for a call, if the agent is still in the login session the decision was based on. */
    AgentRecord reserve(long expectedSession, String call, String queue, String owner, long until, long now) {
        return reserve(expectedSession, call, queue, owner, until, now, null);
    }

    /** READY to RESERVED, remembering the node that decides ({@code decider}). */
    AgentRecord reserve(long expectedSession, String call, String queue, String owner, long until, long now,
                        String decider) {
        if (state != AgentState.READY || session != expectedSession) {
            return null;
        }
        return to(AgentState.RESERVED, now, null, call, queue, owner, until, stateSince, 0, null, decider);
    }

    /** RESERVED for {@code call} back to READY, keeping the agent's idle time (or NOT_READY if asked for). */
    AgentRecord release(String call, long now) {
        if (state != AgentState.RESERVED || !call.equals(callId)) {
            return null;
        }
        if (pendingReason != null) {
            return to(AgentState.NOT_READY, now, pendingReason, null, null, null, 0, 0, 0, null);
        }
        return to(AgentState.READY, restoreSince, null, null, null, null, 0, 0, 0, null);
    }

    /** A reservation for {@code call} past its time to live is released. */
    AgentRecord expire(String call, long now) {
        if (state != AgentState.RESERVED || reservedUntil > now) {
            return null;
        }
        return release(call, now);
    }

    /** RESERVED for {@code call} to ON_CALL. */
    AgentRecord answer(String call, long now) {
        if (state != AgentState.RESERVED || !call.equals(callId)) {
            return null;
        }
        return to(AgentState.ON_CALL, now, null, callId, queueId, callOwner, 0, 0, 0, pendingReason);
    }

    /** RESERVED for {@code call} to NOT_READY: the offer was not answered, busy or failed. */
    AgentRecord offerFailed(String call, String reason, long now) {
        if (state != AgentState.RESERVED || !call.equals(callId)) {
            return null;
        }
        return to(AgentState.NOT_READY, now, reason, null, null, null, 0, 0, 0, null);
    }

    /** ON_CALL with {@code call} to WRAP_UP, or straight to READY / NOT_READY when there is no wrap-up time. */
    AgentRecord callEnded(String call, long wrapUpMillis, long now) {
        if (state != AgentState.ON_CALL || !call.equals(callId)) {
            return null;
        }
        if (wrapUpMillis > 0) {
            return to(AgentState.WRAP_UP, now, null, callId, queueId, null, 0, 0, now + wrapUpMillis,
                    pendingReason);
        }
        return afterWork(now);
    }

    /**
     * WRAP_UP made longer by {@code millis} from the later of now and its current end (the agent asked for more
     * after-call work time); the state and its start are unchanged.
     */
    AgentRecord extendWrapUp(long millis, long now) {
        if (state != AgentState.WRAP_UP || millis <= 0) {
            return null;
        }
        return new AgentRecord(id, name, endpoint, skills, languages, session, state, stateSince, reasonCode,
                callId, queueId, callOwner, reservedUntil, restoreSince, Math.max(wrapUpUntil, now) + millis,
                pendingReason, version + 1, state, stateSince, 0, reservedBy);
    }

    /**
     * New skills and levels for a logged-in agent (a supervisor's change at run time), in any state: the next
     * offer (on whichever member decides it) uses them; a call already offered or connected is not affected.
     */
    AgentRecord withSkills(Map<String, Integer> newSkills) {
        if (state == AgentState.LOGGED_OUT) {
            return null;
        }
        return new AgentRecord(id, name, endpoint, newSkills, languages, session, state, stateSince, reasonCode,
                callId, queueId, callOwner, reservedUntil, restoreSince, wrapUpUntil, pendingReason, version + 1,
                state, stateSince, 0, reservedBy);
    }

    /** WRAP_UP finished early by the agent. */
    AgentRecord wrapUpDone(long now) {
        if (state != AgentState.WRAP_UP) {
            return null;
        }
        return afterWork(now);
    }

    /** WRAP_UP whose time is over. */
    AgentRecord wrapUpExpired(long now) {
        if (state != AgentState.WRAP_UP || wrapUpUntil > now) {
            return null;
        }
        return afterWork(now);
    }

    private AgentRecord afterWork(long now) {
        if (pendingReason != null) {
            return to(AgentState.NOT_READY, now, pendingReason, null, null, null, 0, 0, 0, null);
        }
        return to(AgentState.READY, now, null, null, null, null, 0, 0, 0, null);
    }

    /**
     * The node owning this agent's call left the cluster. {@code holdMillis} is how long the agent stays in
     * wrap-up ({@link #OWNER_LOST_REASON}) because its phone may still ring or talk on that call: given for an
     * agent ON_CALL or offered the call; 0 for a reservation not yet offered (released at once).
     */
    AgentRecord ownerLost(String owner, long holdMillis, long now) {
        if (!owner.equals(callOwner) || !state.isBusy()) {
            return null;
        }
        if (holdMillis <= 0) {
            return state == AgentState.RESERVED ? release(callId, now) : callEnded(callId, 0, now);
        }
        return to(AgentState.WRAP_UP, now, OWNER_LOST_REASON, callId, queueId, null, 0, 0, now + holdMillis,
                pendingReason);
    }

    /** Whether this agent holds {@code call} (offered, connected or in its wrap-up). */
    boolean holds(String call) {
        return call.equals(callId)
                && (state == AgentState.RESERVED || state == AgentState.ON_CALL || state == AgentState.WRAP_UP);
    }

    Agent toAgent() {
        return new Agent(id, name, endpoint, skills, languages, state, Instant.ofEpochMilli(stateSince),
                reasonCode, callId, queueId, state == AgentState.READY ? Instant.ofEpochMilli(stateSince) : null,
                state == AgentState.WRAP_UP ? Instant.ofEpochMilli(wrapUpUntil) : null, pendingReason);
    }
}
