package dev.ivr.server.flow.integration;

/** How an {@link IntegrationRequest} ended. */
public sealed interface IntegrationResult {

    /** The endpoint answered (any HTTP status); {@code body} as received (JSON expected). */
    record Answered(int status, String body) implements IntegrationResult {
    }

    /** No answer within the timeout. */
    record TimedOut() implements IntegrationResult {
    }

    /** The endpoint's circuit breaker is open: the request was not sent. */
    record BreakerOpen() implements IntegrationResult {
    }

    /** Not sent or no answer: unknown endpoint, connection refused, I/O error. {@code reason} has no secrets. */
    record Failed(String reason) implements IntegrationResult {
    }
}
