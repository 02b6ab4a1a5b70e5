/**
 * Skills-based routing: agents and their states, queues, waiting calls and the matcher that pairs them, with
 * shared state in Hazelcast. This library knows nothing about telephony.
 *
 * <p>Start with {@code dev.ivr.routing.hazelcast.HazelcastRouting.start}, which returns a {@link dev.ivr.routing.RoutingService}: queues are {@link dev.ivr.routing.QueueDefinition}s,
 * agents log in with an {@link dev.ivr.routing.AgentProfile}, calls are queued with a
 * {@link dev.ivr.routing.CallRequest} and paired with an agent through a {@link dev.ivr.routing.Reservation};
 * {@link dev.ivr.routing.RoutingEvent}s report every change cluster-wide. {@code dev.ivr.routing.hazelcast} is
 * the implementation: only its {@code HazelcastRouting} entry point is meant for applications.
 */
package dev.ivr.routing;
