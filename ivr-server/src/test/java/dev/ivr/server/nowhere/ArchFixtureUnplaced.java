package dev.ivr.server.nowhere;

/** Breaks R0 on purpose: its package is in no layer (used only by ArchitectureRulesTest). */
class ArchFixtureUnplaced {
}
