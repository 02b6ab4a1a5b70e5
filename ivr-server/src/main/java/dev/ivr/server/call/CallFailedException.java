package dev.ivr.server.call;

/** The connection to the PBX failed or the PBX answered something unusable. */
public final class CallFailedException extends RuntimeException {
    public CallFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public CallFailedException(String message) {
        super(message);
    }
}
