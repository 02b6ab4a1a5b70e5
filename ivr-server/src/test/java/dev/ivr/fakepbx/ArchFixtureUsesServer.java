package dev.ivr.fakepbx;

/** Breaks R10 on purpose: the fake PBX using a server class (ArchitectureRulesTest only). */
class ArchFixtureUsesServer {
    dev.ivr.server.call.CallInfo call;
}
