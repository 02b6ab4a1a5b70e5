package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.model.Node;

/**
 * Hears what happens in a call as the engine runs it: the simulator prints it, flow tests
 * compare it. Never receives secrets (PIN digits are reported as "****").
 */
public interface CallObserver {
    CallObserver NONE = new CallObserver() {
    };

    /** The engine starts (or, on another server, resumes) the call in a flow. */
    default void started(CallInfo call, String flow, boolean resumed) {
    }

    /** The caller was looked up by number ({@code status}: IDENTIFIED, UNKNOWN, ...). */
    default void identified(String status, String customerId) {
    }

    /** The caller gave account and PIN ({@code status}: OK, FAILED, LOCKED, UNAVAILABLE). */
    default void authenticated(String status) {
    }

    /** A transfer node dialled {@code destination}; {@code dialStatus} is Asterisk's DIALSTATUS. */
    default void transferred(String destination, String dialStatus) {
    }

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

    /** Both observers, {@code a} first. */
    static CallObserver both(CallObserver a, CallObserver b) {
        return new CallObserver() {
            @Override
            public void started(CallInfo call, String flow, boolean resumed) {
                a.started(call, flow, resumed);
                b.started(call, flow, resumed);
            }

            @Override
            public void identified(String status, String customerId) {
                a.identified(status, customerId);
                b.identified(status, customerId);
            }

            @Override
            public void authenticated(String status) {
                a.authenticated(status);
                b.authenticated(status);
            }

            @Override
            public void transferred(String destination, String dialStatus) {
                a.transferred(destination, dialStatus);
                b.transferred(destination, dialStatus);
            }

            @Override
            public void node(String flow, Node node) {
                a.node(flow, node);
                b.node(flow, node);
            }

            @Override
            public void prompt(String text, String promptId) {
                a.prompt(text, promptId);
                b.prompt(text, promptId);
            }

            @Override
            public void event(String text) {
                a.event(text);
                b.event(text);
            }

            @Override
            public void ended(CallSummary summary) {
                a.ended(summary);
                b.ended(summary);
            }
        };
    }
}
