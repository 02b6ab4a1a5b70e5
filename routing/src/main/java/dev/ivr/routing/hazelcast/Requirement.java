package dev.ivr.routing.hazelcast;

import java.util.Map;

/** Minimum levels (by skill id) and a language an agent must have. */
final class Requirement {
    final int[] skills;
    final int[] levels;
    final String language;
    private final int languageId;

    Requirement(Map<String, Integer> levels, String language, SkillIds ids, SkillIds languageIds) {
        this.skills = new int[levels.size()];
        this.levels = new int[levels.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            this.skills[i] = ids.id(e.getKey());
            this.levels[i] = e.getValue();
            i++;
        }
        this.language = language;
        this.languageId = language == null ? -1 : languageIds.id(language);
    }

    /** The minimum level of a skill id, 0 if the requirement does not name it. */
    int minLevel(int skill) {
        for (int i = 0; i < skills.length; i++) {
            if (skills[i] == skill) {
                return levels[i];
            }
        }
        return 0;
    }

    boolean matches(AgentEntry agent) {
        if (languageId >= 0 && !agent.speaks(languageId, language)) {
            return false;
        }
        for (int i = 0; i < skills.length; i++) {
            if (agent.level(skills[i]) < levels[i]) {
                return false;
            }
        }
        return true;
    }
}
