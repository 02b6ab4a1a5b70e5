package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Records for tests that exercise the routing internals without Hazelcast. */
final class Fixtures {
    static final long T0 = 1_736_154_000_000L;

    private Fixtures() {
    }

    /** Skills from "name:level" pairs. */
    static Map<String, Integer> skills(String... pairs) {
        Map<String, Integer> skills = new LinkedHashMap<>();
        for (String pair : pairs) {
            String[] parts = pair.split(":");
            skills.put(parts[0], Integer.parseInt(parts[1]));
        }
        return skills;
    }

    static AgentRecord loggedIn(String id, Map<String, Integer> skills, Set<String> languages) {
        return AgentRecord.login(null, new AgentProfile(id, id, "PJSIP/" + id, skills, languages), 42, T0);
    }

    /** An agent READY since {@code since}. */
    static AgentRecord ready(String id, long since, String... skills) {
        return loggedIn(id, skills(skills), Set.of("en")).ready(since);
    }

    static AgentRecord withState(AgentRecord r, AgentState state) {
        return new AgentRecord(r.id(), r.name(), r.endpoint(), r.skills(), r.languages(), r.session(), state,
                r.stateSince(), r.reasonCode(), r.callId(), r.queueId(), r.callOwner(), r.reservedUntil(),
                r.restoreSince(), r.wrapUpUntil(), r.pendingReason(), r.version() + 1, r.state(), r.stateSince(), 0, r.reservedBy());
    }

    static CallRecord call(String id, String queue, long enqueuedAt, int priority, String... skills) {
        CallRequest.Builder b = CallRequest.builder(id, queue).priority(priority);
        for (Map.Entry<String, Integer> e : skills(skills).entrySet()) {
            b.skill(e.getKey(), e.getValue());
        }
        return CallRecord.waiting(b.build(), "node-1", id.hashCode(), enqueuedAt);
    }

    static CallRecord call(CallRequest request, long enqueuedAt) {
        return CallRecord.waiting(request, "node-1", request.callId().hashCode(), enqueuedAt);
    }
}
