package dev.ivr.routing.internal;

import java.util.Map;

/** Minimum levels (by skill id) and a language an agent must have. */
final class Requirement {
    final int[] skills;
    final int[] levels;
    final String language;

    Requirement(Map<String, Integer> levels, String language, SkillIds ids) {
        this.skills = new int[levels.size()];
        this.levels = new int[levels.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            this.skills[i] = ids.id(e.getKey());
            this.levels[i] = e.getValue();
            i++;
        }
        this.language = language;
    }

    boolean matches(AgentEntry agent) {
        if (language != null && !agent.record.languages().contains(language)) {
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
