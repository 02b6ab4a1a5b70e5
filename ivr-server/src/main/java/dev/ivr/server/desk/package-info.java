/**
 * The agent's side of a call: the call context (screen pop) built when an agent is reserved,
 * its storage in the cluster, the signed token that refers to it from the agent leg, and the
 * contract for delivering screen pops to desktops ({@link dev.ivr.server.desk.ScreenPops}).
 *
 * <p>{@link dev.ivr.server.desk.Desk} puts the agent desktop and supervisor dashboard together
 * from the sub-packages: {@code users} (who signs in, database), {@code sessions} (sign-in
 * sessions in the cluster), {@code live} (the WebSocket hub and dashboard snapshots),
 * {@code exits} (where callers leave the IVR), {@code http} (REST routes, pages, OpenAPI).
 */
package dev.ivr.server.desk;
