package dev.ivr.server.crm;

/** Breaks R8 on purpose: the CRM API using Vert.x (ArchitectureRulesTest only). */
class ArchFixtureUsesVertx {
    io.vertx.core.Vertx vertx;
}
