package dev.ivr.server.desk.users;

/** A user operation refused (bad input, unknown or existing id) or impossible (database down). */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** BUSY: too many password checks at once on this server (try again in a moment). */
    public enum Kind { INVALID, NOT_FOUND, EXISTS, UNAVAILABLE, BUSY }

    private final Kind kind;

    public UserException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
        this.kind = Kind.UNAVAILABLE;
    }

    public Kind kind() {
        return kind;
    }
}
