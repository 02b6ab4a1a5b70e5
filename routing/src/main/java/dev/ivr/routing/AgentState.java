package dev.ivr.routing;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of an agent. Only the transitions listed by {@link #canTransitionTo} are accepted;
 * a request that would need any other transition fails with
 * {@link RoutingException.Reason#ILLEGAL_STATE}.
 *
 * <pre>
 * LOGGED_OUT -> NOT_READY                      (login)
 * NOT_READY  -> READY | NOT_READY | LOGGED_OUT  (NOT_READY -> NOT_READY changes the reason code)
 * READY      -> RESERVED | NOT_READY | LOGGED_OUT
 * RESERVED   -> ON_CALL | NOT_READY | READY     (answered | not answered | reservation released)
 * RESERVED   -> WRAP_UP                        (the node that offered the call left: the phone may still ring)
 * ON_CALL    -> WRAP_UP | READY | NOT_READY     (the last two when the queue has no wrap-up time)
 * WRAP_UP    -> READY | NOT_READY | LOGGED_OUT
 * </pre>
 */
public enum AgentState {
    LOGGED_OUT,
    NOT_READY,
    /** Waiting for a call; the only state in which an agent can be reserved. */
    READY,
    /** A call has been offered (the agent's phone rings); no other call can be offered. */
    RESERVED,
    ON_CALL,
    /** After-call work, timed by the queue's wrap-up time. */
    WRAP_UP;

    @SuppressWarnings("ImmutableEnumChecker") // set once, by the static initialiser below, and never changed
    private Set<AgentState> next;

    static {
        LOGGED_OUT.next = EnumSet.of(NOT_READY);
        NOT_READY.next = EnumSet.of(READY, NOT_READY, LOGGED_OUT);
        READY.next = EnumSet.of(RESERVED, NOT_READY, LOGGED_OUT);
        RESERVED.next = EnumSet.of(ON_CALL, NOT_READY, READY, WRAP_UP);
        ON_CALL.next = EnumSet.of(WRAP_UP, READY, NOT_READY);
        WRAP_UP.next = EnumSet.of(READY, NOT_READY, LOGGED_OUT);
    }

    /** Whether the state machine accepts a change from this state to {@code target}. */
    public boolean canTransitionTo(AgentState target) {
        return next.contains(target);
    }

    /** Whether the agent holds a call (offered or connected). */
    public boolean isBusy() {
        return this == RESERVED || this == ON_CALL;
    }
}
