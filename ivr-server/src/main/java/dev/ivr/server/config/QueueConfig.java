package dev.ivr.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One queue of {@code routing.queues}; unset values take the defaults noted. */
public record QueueConfig(
        @Doc("Queue id, as route nodes name it (letters, digits, '_', '-', '.').")
        String id,
        @Doc("Display name for supervisors. Default: the id.")
        String name,
        @Doc("Skill -> minimum level (1-10) every agent of the queue needs; merged with the route node's own skills (the higher level wins).")
        Map<String, Integer> skills,
        @Doc("Added to the priority of every call of this queue. Default 0.")
        Integer priority,
        @Doc("Every full step of waiting adds 1 to a call's priority. Default: no aging.")
        Duration priorityAging,
        @Doc("Service-level target: the fraction (0-1) of calls to answer within service-level-time. Default 0.8.")
        Double serviceLevel,
        @Doc("Answer-time threshold of the service level. Default 20s.")
        Duration serviceLevelTime,
        @Doc("Requirement changes once a call has waited: a list of {after: 30s, skills: {billing: 1} (0 drops a skill), add-queues: [support] (their agents may take the call too)}; cumulative.")
        List<RelaxConfig> relaxation,
        @Doc("Longest wait in this queue; then the call leaves it (route nodes take on-timeout). Default: none (the route node's max-wait applies).")
        Duration maxWait,
        @Doc("Where a call goes at max-wait, for reports (route nodes take on-timeout). Default: timeout.")
        String maxWaitTarget,
        @Doc("How long an offered agent's phone rings before the call is offered to the next agent. Default 20s.")
        Duration ringTime,
        @Doc("After-call work time before the agent is ready again. Default 0s.")
        Duration wrapUp,
        @Doc("How long a call waits for its preferred agent (the route node's context field preferred-agent), while that agent is logged in. Default 0s (off).")
        Duration preferredAgentWait,
        @Doc("Handle time assumed for wait estimates until calls have been measured. Default 3m.")
        Duration defaultHandleTime,
        @Doc("Whether the agent must speak the call's language (the flow's current language). Default true.")
        Boolean matchLanguage,
        @Doc("Wrap-up codes (dispositions) an agent chooses from after a call of this queue, in the order the desktop lists them (letters, digits, '_', '-', '.'). Default: none.")
        List<String> wrapUpCodes,
        @Doc("Whether the agent must choose a wrap-up code before ending wrap-up (the wrap-up timer still makes the agent ready when it runs out). Default false.")
        Boolean wrapUpCodeRequired,
        @Doc("How much longer, in all, an agent may make a call's wrap-up than the queue's wrap-up time. Default 2m; 0s: no extension.")
        Duration wrapUpExtension,
        @Doc("Post-call survey: the flow the caller is sent to when the agent hangs up first (routing.dial-mode exec), e.g. post-call-survey. Default: none.")
        String surveyFlow) {

    public QueueConfig {
        skills = skills == null ? Map.of() : Map.copyOf(skills);
        relaxation = relaxation == null ? List.of() : List.copyOf(relaxation);
        wrapUpCodes = wrapUpCodes == null ? List.of() : List.copyOf(wrapUpCodes);
    }

    public boolean effectiveWrapUpCodeRequired() {
        return wrapUpCodeRequired != null && wrapUpCodeRequired;
    }

    public Duration effectiveWrapUpExtension() {
        return wrapUpExtension == null ? Duration.ofMinutes(2) : wrapUpExtension;
    }

    public Duration effectiveRingTime() {
        return ringTime == null ? Duration.ofSeconds(20) : ringTime;
    }

    public boolean effectiveMatchLanguage() {
        return matchLanguage == null || matchLanguage;
    }

    void validate(Problems p, Set<String> queueIds) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            p.add("id", "must be 1-64 letters, digits, '_', '-' or '.' (got " + id + ")");
        }
        skills.forEach((skill, level) -> level(p, "skills." + skill, skill, level, 1));
        if (serviceLevel != null && !(serviceLevel >= 0 && serviceLevel <= 1)) {
            p.add("service-level", "must be a fraction between 0 and 1 such as 0.8 (got " + serviceLevel + ")");
        }
        nonNegative(p, "service-level-time", serviceLevelTime);
        positiveIfSet(p, "priority-aging", priorityAging);
        positiveIfSet(p, "max-wait", maxWait);
        positiveIfSet(p, "ring-time", ringTime);
        positiveIfSet(p, "default-handle-time", defaultHandleTime);
        nonNegative(p, "wrap-up", wrapUp);
        nonNegative(p, "preferred-agent-wait", preferredAgentWait);
        nonNegative(p, "wrap-up-extension", wrapUpExtension);
        Set<String> codes = new java.util.HashSet<>();
        for (String code : wrapUpCodes) {
            if (code == null || !code.matches("[A-Za-z0-9_.-]{1,64}")) {
                p.add("wrap-up-codes", "codes are 1-64 letters, digits, '_', '-' or '.' (got " + code + ")");
            } else if (!codes.add(code)) {
                p.add("wrap-up-codes", "'" + code + "' is listed twice");
            }
        }
        if (surveyFlow != null && !surveyFlow.isEmpty() && !surveyFlow.matches("[A-Za-z0-9_.-]{1,64}")) {
            p.add("survey-flow", "must be a flow name: letters, digits, '_', '-' or '.' (got " + surveyFlow + ")");
        }
        if (effectiveWrapUpCodeRequired() && wrapUpCodes.isEmpty()) {
            p.add("wrap-up-code-required", "is true but wrap-up-codes lists no code to choose from");
        }
        for (int i = 0; i < relaxation.size(); i++) {
            RelaxConfig r = relaxation.get(i);
            String key = "relaxation[" + i + "]";
            if (r == null) {
                p.add(key, "is empty");
                continue;
            }
            if (r.after() == null || r.after().isNegative()) {
                p.add(key + ".after", "must be a waiting time such as 30s");
            }
            r.skills().forEach((skill, level) -> level(p, key + ".skills." + skill, skill, level, 0));
            for (String other : r.addQueues()) {
                if (!queueIds.contains(other)) {
                    p.add(key + ".add-queues", "no queue '" + other + "' is configured");
                }
            }
        }
    }

    private static void level(Problems p, String key, String skill, Integer level, int min) {
        if (!skill.matches("[A-Za-z0-9_.-]{1,64}")) {
            p.add(key, "skill names are letters, digits, '_', '-' or '.'");
        }
        if (level == null || level < min || level > 10) {
            p.add(key, "level must be " + min + " to 10 (got " + level + ")");
        }
    }

    private static void positiveIfSet(Problems p, String key, Duration d) {
        if (d != null) {
            p.positive(key, d);
        }
    }

    private static void nonNegative(Problems p, String key, Duration d) {
        if (d != null && d.isNegative()) {
            p.add(key, "must not be negative");
        }
    }

    /** A relaxation step of a queue. */
    public record RelaxConfig(
            @Doc("Waiting time from which the step applies.")
            Duration after,
            @Doc("New minimum levels; 0 drops the skill.")
            Map<String, Integer> skills,
            @Doc("Other queues whose agents may take the call too.")
            List<String> addQueues) {
        public RelaxConfig {
            skills = skills == null ? Map.of() : Map.copyOf(skills);
            addQueues = addQueues == null ? List.of() : List.copyOf(addQueues);
        }
    }
}
