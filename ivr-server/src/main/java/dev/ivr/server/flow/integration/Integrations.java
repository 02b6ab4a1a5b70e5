package dev.ivr.server.flow.integration;

/**
 * The port through which a flow's {@code http} node talks to another system: an endpoint named
 * in the configuration ({@code integrations.endpoints}), never a URL from the flow. Called on the
 * call's (virtual) thread; it waits at most the request's timeout.
 */
public interface Integrations {

    /** What the server has when no endpoint is configured: every request fails at once. */
    Integrations NONE = request -> new IntegrationResult.Failed("no endpoint named '" + request.endpoint()
            + "' is configured (integrations.endpoints)");

    IntegrationResult call(IntegrationRequest request);
}
