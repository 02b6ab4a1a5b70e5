package dev.ivr.server.flow.route;

import dev.ivr.server.call.CallChannel;

/**
 * The port the {@code route} node calls: finds an agent with the skills the call needs and
 * connects the call, keeping the caller company while they wait (announcements, music, DTMF
 * options). Implemented by the routing work; the flow engine only knows this interface.
 *
 * <p>Runs on the call's own thread and may block until the call is connected and over, times
 * out, or the caller presses a wait option. It drives the caller's channel only through
 * {@code channel}. It must not throw for ordinary outcomes: a caller who hangs up while
 * waiting is {@link RouteResult.CallerHungUp}.
 */
@FunctionalInterface
public interface CallRouter {
    /**
     * The router of a server without routing: every {@code route} node takes its {@code failed} edge
     * (the engine logs why and plays no announcement for a queue that does not exist).
     */
    CallRouter NONE = new CallRouter() {
        @Override
        public RouteResult route(RouteRequest request, CallChannel channel) {
            return new RouteResult.Failed("no call router is configured");
        }

        @Override
        public boolean configured() {
            return false;
        }
    };

    RouteResult route(RouteRequest request, CallChannel channel);

    /** False for {@link #NONE}: the server has no routing. */
    default boolean configured() {
        return true;
    }
}
