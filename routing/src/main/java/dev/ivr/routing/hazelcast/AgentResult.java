package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentState;

/**
 * What an {@link AgentCommand} did.
 *
 * @param applied   whether the transition applied (it may have changed nothing, see {@link #changed()})
 * @param from      state before (for an unknown agent: null)
 * @param fromSince when the state before began
 * @param record    the record after (or the unchanged current one when not applied); null for an unknown agent
 */
public record AgentResult(boolean applied, AgentState from, long fromSince, AgentRecord record) implements Wire {

    boolean changed() {
        return applied && (record.state() != from || record.stateSince() != fromSince);
    }
}
