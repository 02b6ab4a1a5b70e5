package dev.ivr.routing;

/** Breaks R3 and R4 on purpose: the routing API using the server and its own implementation (ArchitectureRulesTest only). */
class ArchFixtureSeesServer {
    dev.ivr.server.call.CallInfo call;
    dev.ivr.routing.hazelcast.HazelcastRouting implementation;
}
