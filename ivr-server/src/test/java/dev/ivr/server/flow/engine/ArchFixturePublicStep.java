package dev.ivr.server.flow.engine;

/** Breaks R12b on purpose: a public node step (ArchitectureRulesTest only). */
public class ArchFixturePublicStep {
}
