/**
 * The agent desktop and supervisor dashboard: an adapter that shows the call context
 * ({@code dev.ivr.server.callcontext}) and lets agents and supervisors act on routing.
 *
 * <p>{@link dev.ivr.server.desk.Desk} puts it together from the sub-packages: {@code users} (who signs in,
 * database), {@code sessions} (sign-in sessions in the cluster), {@code live} (the WebSocket hub and
 * dashboard snapshots), {@code exits} (where callers leave the IVR), {@code http} (REST routes, pages, OpenAPI).
 */
package dev.ivr.server.desk;
