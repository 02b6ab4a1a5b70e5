/**
 * The server's side of routing: the {@code route} node's {@link dev.ivr.server.flow.route.CallRouter}
 * over the routing library ({@code dev.ivr.routing}): queues from configuration, the caller's
 * wait (music, announcements, keys, callback), the agent leg (context, variables, SIP header,
 * Dial), the dialplan's reports ({@code agent-answered}, {@code route-ended}) and callbacks.
 * {@link dev.ivr.server.routing.RoutingModule} assembles it.
 */
package dev.ivr.server.routing;
