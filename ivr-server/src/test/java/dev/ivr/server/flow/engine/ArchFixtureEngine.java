package dev.ivr.server.flow.engine;

/** Breaks R5 and R7 on purpose: the flow engine using FastAGI and Hazelcast (ArchitectureRulesTest only). */
class ArchFixtureEngine {
    dev.ivr.server.agi.AgiListener listener;
    com.hazelcast.core.HazelcastInstance hazelcast;
}
