/**
 * What crosses the cluster between members, below every feature that uses it: the {@link
 * dev.ivr.server.wire.ClusterValue} marker of values the cluster adapter seals, and the {@link
 * dev.ivr.server.wire.ClusterKeys} derived from the cluster's shared secret, and {@link
 * dev.ivr.server.wire.OffCallThread}, which runs a call's cluster operations off the call's own thread.
 */
package dev.ivr.server.wire;
