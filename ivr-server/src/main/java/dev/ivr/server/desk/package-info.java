/**
 * The agent's side of a call: the call context (screen pop) built when an agent is reserved,
 * its storage in the cluster, the signed token that refers to it from the agent leg, and the
 * contract for delivering screen pops to desktops.
 */
package dev.ivr.server.desk;
