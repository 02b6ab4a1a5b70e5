package dev.ivr.server.config;

/** Breaks R1 on purpose: configuration must not use the flow repository above it (ArchitectureRulesTest only). */
class ArchFixtureUpward {
    dev.ivr.server.flow.FlowRepository flows;
}
