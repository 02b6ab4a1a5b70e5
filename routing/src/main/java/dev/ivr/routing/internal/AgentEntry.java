package dev.ivr.routing.internal;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;

import java.util.Map;

/** An agent in the local view: its record, its public snapshot and its levels indexed by skill id. */
final class AgentEntry {
    final AgentRecord record;
    final Agent agent;
    private final byte[] levels;

    AgentEntry(AgentRecord record, SkillIds ids) {
        this.record = record;
        this.agent = record.toAgent();
        int max = -1;
        int[] skillIds = new int[record.skills().size()];
        int i = 0;
        for (String skill : record.skills().keySet()) {
            skillIds[i] = ids.id(skill);
            max = Math.max(max, skillIds[i]);
            i++;
        }
        this.levels = new byte[max + 1];
        i = 0;
        for (Map.Entry<String, Integer> e : record.skills().entrySet()) {
            levels[skillIds[i++]] = (byte) (int) e.getValue();
        }
    }

    int level(int skillId) {
        return skillId < levels.length ? levels[skillId] : 0;
    }

    boolean isReady() {
        return record.state() == AgentState.READY;
    }

    String id() {
        return record.id();
    }
}
