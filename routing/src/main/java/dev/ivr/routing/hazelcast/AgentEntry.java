package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;

import java.util.Map;

/** An agent in the local view: its record, its public snapshot and its levels indexed by skill id. */
final class AgentEntry {
    final AgentRecord record;
    final Agent agent;
    private final byte[] levels;
    private final long languageMask;

    /** The agent's skill ids and, at the same index, its levels. */
    final int[] skillIds;
    final int[] skillLevels;

    AgentEntry(AgentRecord record, SkillIds ids, SkillIds languageIds) {
        this.record = record;
        this.agent = record.toAgent();
        int max = -1;
        skillIds = new int[record.skills().size()];
        skillLevels = new int[skillIds.length];
        int i = 0;
        for (Map.Entry<String, Integer> e : record.skills().entrySet()) {
            skillIds[i] = ids.id(e.getKey());
            skillLevels[i] = e.getValue();
            max = Math.max(max, skillIds[i]);
            i++;
        }
        this.levels = new byte[max + 1];
        for (i = 0; i < skillIds.length; i++) {
            levels[skillIds[i]] = (byte) skillLevels[i];
        }
        long mask = 0;
        for (String language : record.languages()) {
            int id = languageIds.id(language);
            if (id < Long.SIZE) {
                mask |= 1L << id;
            }
        }
        this.languageMask = mask;
    }

    /** Whether the agent speaks a language, by its id in the view's language dictionary. */
    boolean speaks(int languageId, String language) {
        return languageId < Long.SIZE ? (languageMask & 1L << languageId) != 0 : record.languages().contains(language);
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
