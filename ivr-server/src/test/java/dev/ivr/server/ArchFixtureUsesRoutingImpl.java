package dev.ivr.server;

/** Breaks R12a on purpose: the server using the routing implementation past its entry point (ArchitectureRulesTest only). */
class ArchFixtureUsesRoutingImpl {
    dev.ivr.routing.hazelcast.HazelcastRoutingService service;
}
