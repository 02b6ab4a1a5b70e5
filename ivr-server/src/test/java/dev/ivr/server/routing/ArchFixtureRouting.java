package dev.ivr.server.routing;

/** Breaks R6 and R9 on purpose: server routing using Asterisk-Java and the desk (ArchitectureRulesTest only). */
class ArchFixtureRouting {
    org.asteriskjava.fastagi.AgiChannel channel;
    dev.ivr.server.desk.Desk desk;
}
