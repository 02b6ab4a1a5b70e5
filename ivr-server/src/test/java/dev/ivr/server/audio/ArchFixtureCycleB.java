package dev.ivr.server.audio;

/** With {@code net.ArchFixtureCycleA}, breaks R2 on purpose (ArchitectureRulesTest only). */
public class ArchFixtureCycleB {
    dev.ivr.server.net.ArchFixtureCycleA other;
}
