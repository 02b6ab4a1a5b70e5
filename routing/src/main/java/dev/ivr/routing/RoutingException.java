package dev.ivr.routing;

/** A request the router refuses; {@link #reason()} tells why (for example to map it to an HTTP status). */
public class RoutingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        UNKNOWN_AGENT,
        UNKNOWN_QUEUE,
        UNKNOWN_CALL,
        DUPLICATE_CALL,
        /** The agent's current state does not allow the requested change. */
        ILLEGAL_STATE,
        /** The call is owned by another node: only the owner can wait for it. */
        NOT_OWNER
    }

    private final Reason reason;

    public RoutingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
