package dev.ivr.server.call;

/** The caller hung up: the call's logic should stop and only record what happened. */
public final class CallerHungUpException extends RuntimeException {
    public CallerHungUpException() {
        super("caller hung up", null, false, false);
    }
}
