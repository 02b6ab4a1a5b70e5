package dev.ivr.server.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Places calls from the server's side (Asterisk's manager interface, AMI {@code Originate}):
 * what callbacks need. Implemented in {@code dev.ivr.server.pbx}.
 */
public interface Originator {

    /** Whether calls can be placed now (connected and logged in). */
    boolean available();

    /**
     * Rings {@code channel} (the agent's endpoint) for at most {@code timeout}; once it answers,
     * the PBX runs {@code context}, extension {@code exten} (the customer's number) on it.
     * Blocks until the channel answered or the attempt failed.
     *
     * @throws OriginateException when the PBX could not be asked (not connected, refused)
     */
    Result originate(Request request) throws InterruptedException;

    /**
     * Whether a channel whose {@code variable} is {@code value} exists on the PBX now (AMI {@code Status} with
     * {@code Variables}; with several PBXs, on any of them): what a server taking over a callback in {@code DIALING}
     * asks before it dials the callback again.
     *
     * @return empty when it cannot be told (a PBX that could have the channel cannot be asked)
     */
    default Optional<Boolean> hasChannel(String variable, String value) throws InterruptedException {
        return Optional.empty();
    }

    /**
     * @param callerId caller id the agent's phone shows, e.g. {@code "Callback Anna Kovacs" <+3612345678>}
     * @param pbx      the PBX of the call this is for ({@code CallInfo.pbxHint()}: a PBX id or the address its
     *                 FastAGI connection came from), or null: with several PBXs, the call is placed on the PBX of
     *                 the channel's endpoint, else on this one, else on the first
     */
    record Request(String channel, String context, String exten, String callerId, Duration timeout,
                   Map<String, String> variables, String pbx) {
        public Request {
            variables = Map.copyOf(variables);
        }

        /** A request for no call in particular. */
        public Request(String channel, String context, String exten, String callerId, Duration timeout,
                       Map<String, String> variables) {
            this(channel, context, exten, callerId, timeout, variables, null);
        }
    }

    /**
     * @param answered whether the channel answered
     * @param reason   why not: no-answer, busy, congestion, failed
     * @param uniqueId the created channel's unique id (when answered)
     * @param hangup   completes with the time the answered channel hung up (never completes otherwise)
     * @param channel  the created channel's name (when answered; OriginateResponse's Channel), or null
     */
    record Result(boolean answered, String reason, String uniqueId, CompletableFuture<Instant> hangup, String channel) {
        public Result(boolean answered, String reason, String uniqueId, CompletableFuture<Instant> hangup) {
            this(answered, reason, uniqueId, hangup, null);
        }
    }

    /** The PBX could not be asked to place the call. */
    final class OriginateException extends RuntimeException {
        public OriginateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
