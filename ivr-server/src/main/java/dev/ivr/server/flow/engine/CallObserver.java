package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.model.Node;

/**
 * Hears what happens in a call as the engine runs it: the simulator prints it, flow tests
 * compare it. Never receives secrets (PIN digits are reported as "****").
 */
public interface CallObserver {
    CallObserver NONE = new CallObserver() {
    };

    /** The call enters a node. */
    default void node(String flow, Node node) {
    }

    /** The caller hears this (rendered prompt text, or "[sound: NAME]"). */
    default void prompt(String text, String promptId) {
    }

    /** Something happened that the caller does not hear: a CRM answer, a route result, a transfer. */
    default void event(String text) {
    }

    /** The call is over. */
    default void ended(CallSummary summary) {
    }
}
