package dev.ivr.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call to put in a queue. Build one with {@link #builder(String, String)}.
 *
 * @param callId           unique call id (for example the Asterisk unique id)
 * @param queueId          queue to wait in
 * @param requiredSkills   skills the call needs beyond the queue's own (merged, the higher level wins)
 * @param language         language the caller needs, null for any
 * @param priority         higher is served first (added to the queue's priority)
 * @param preferredAgentId agent who last served this customer, tried first for the queue's preferred-agent wait;
 *                         null for none
 * @param pbx              the PBX the call is on (an id of the caller's choosing), for the service's
 *                         {@link PbxAffinity}; null when unknown or when there is one PBX
 */
public record CallRequest(String callId, String queueId, Map<String, Integer> requiredSkills, String language,
                          int priority, String preferredAgentId, String pbx) {
    public CallRequest {
        Skills.require(callId, "call id");
        Skills.require(queueId, "queue id");
        requiredSkills = Skills.levels(requiredSkills, false, "call " + callId);
        language = Skills.language(language);
        preferredAgentId = preferredAgentId == null || preferredAgentId.isBlank() ? null : preferredAgentId;
        pbx = pbx == null || pbx.isBlank() ? null : pbx;
    }

    /** A call on no PBX in particular. */
    public CallRequest(String callId, String queueId, Map<String, Integer> requiredSkills, String language,
                       int priority, String preferredAgentId) {
        this(callId, queueId, requiredSkills, language, priority, preferredAgentId, null);
    }

    /** The same call, on {@code pbx} (null: unknown). */
    public CallRequest withPbx(String pbx) {
        return new CallRequest(callId, queueId, requiredSkills, language, priority, preferredAgentId, pbx);
    }

    public static Builder builder(String callId, String queueId) {
        return new Builder(callId, queueId);
    }

    public static final class Builder {
        private final String callId;
        private final String queueId;
        private final Map<String, Integer> skills = new LinkedHashMap<>();
        private String language;
        private int priority;
        private String preferredAgentId;
        private String pbx;

        private Builder(String callId, String queueId) {
            this.callId = callId;
            this.queueId = queueId;
        }

        public Builder skill(String skill, int minLevel) {
            skills.put(skill, minLevel);
            return this;
        }

        public Builder language(String language) {
            this.language = language;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder preferredAgent(String agentId) {
            this.preferredAgentId = agentId;
            return this;
        }

        public Builder pbx(String pbx) {
            this.pbx = pbx;
            return this;
        }

        public CallRequest build() {
            return new CallRequest(callId, queueId, skills, language, priority, preferredAgentId, pbx);
        }
    }
}
