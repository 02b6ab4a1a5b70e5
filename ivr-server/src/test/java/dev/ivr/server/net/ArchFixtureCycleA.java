package dev.ivr.server.net;

/** With {@code audio.ArchFixtureCycleB}, breaks R2 on purpose (ArchitectureRulesTest only). */
public class ArchFixtureCycleA {
    dev.ivr.server.audio.ArchFixtureCycleB other;
}
