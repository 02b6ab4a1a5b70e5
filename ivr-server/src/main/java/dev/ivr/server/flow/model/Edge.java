package dev.ivr.server.flow.model;

import dev.ivr.server.flow.yaml.Problem.Pos;

/**
 * A way out of a node, for checks, coverage and graphs.
 *
 * @param label  what takes it: "next", a key "1", a condition, "no-input", "timeout" ...
 * @param target a node of the same flow
 * @param pos    where the edge is written
 */
public record Edge(String label, String target, Kind kind, Pos pos) {
    public enum Kind {
        /** always taken when the node is done */
        NEXT,
        /** the caller pressed a key of a menu (or while waiting in a queue) */
        KEY,
        /** the caller said a phrase (listen, or a menu with speech) */
        SPEECH,
        /** a branch condition held */
        CONDITION,
        /** no condition held */
        ELSE,
        /** the caller said nothing, a wrong key, or the retries ran out */
        FAILURE,
        /** an outcome of the world: CRM answer, calendar, queue, dial status, subflow outcome */
        OUTCOME
    }

    /** Whether the caller chose it (pressed a key or said a phrase for it). */
    public boolean byCaller() {
        return kind == Kind.KEY || kind == Kind.SPEECH;
    }
}
