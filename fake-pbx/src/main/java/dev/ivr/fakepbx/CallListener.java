package dev.ivr.fakepbx;

/**
 * Hears each command as it arrives, for load generators that must not keep every call's
 * history in memory. {@code serverNanos} is the server's response time: from the moment the
 * previous reply (or the environment) was written to the moment this command arrived.
 */
@FunctionalInterface
public interface CallListener {
    CallListener NONE = (command, serverNanos) -> { };

    void onCommand(AgiCommand command, long serverNanos);
}
