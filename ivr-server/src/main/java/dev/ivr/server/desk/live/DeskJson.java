package dev.ivr.server.desk.live;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.WaitingCall;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.users.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;

/**
 * The JSON forms the REST API and the WebSocket share (documented in {@code openapi.yaml}):
 * times as ISO-8601 instants, durations as seconds, states as upper-case names.
 */
public final class DeskJson {
    private DeskJson() {
    }

    public static JsonObject agent(Agent a) {
        return new JsonObject()
                .put("id", a.id())
                .put("name", a.name())
                .put("endpoint", a.endpoint())
                .put("state", a.state().name())
                .put("since", text(a.stateSince()))
                .put("reason", a.reasonCode())
                .put("pendingReason", a.pendingReasonCode())
                .put("callId", a.callId())
                .put("queue", a.queueId())
                .put("wrapUpUntil", text(a.wrapUpUntil()))
                .put("skills", sorted(a.skills()))
                .put("languages", new JsonArray(a.languages().stream().sorted().toList()));
    }

    /** An agent never logged in: what the desktop shows before the first login. */
    public static JsonObject loggedOut(String agentId, String name) {
        return new JsonObject().put("id", agentId).put("name", name).put("state", AgentState.LOGGED_OUT.name())
                .put("skills", new JsonObject()).put("languages", new JsonArray());
    }

    public static JsonObject stateChange(RoutingEvent.AgentStateChanged e) {
        return new JsonObject()
                .put("id", e.agentId())
                .put("from", e.from() == null ? null : e.from().name())
                .put("state", e.to().name())
                .put("reason", e.reasonCode())
                .put("callId", e.callId())
                .put("since", text(e.at()));
    }

    public static JsonObject queue(QueueStatus q) {
        JsonObject agents = new JsonObject();
        Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
        byState.putAll(q.agents());
        byState.forEach((s, n) -> agents.put(s.name(), n));
        return new JsonObject()
                .put("id", q.queueId())
                .put("name", q.definition().name())
                .put("waiting", q.waiting())
                .put("longestWaitSeconds", seconds(q.longestWait()))
                .put("serviceLevel", q.serviceLevel().isPresent() ? q.serviceLevel().getAsDouble() : null)
                .put("serviceLevelTarget", q.definition().serviceLevel().fraction())
                .put("serviceLevelThresholdSeconds", seconds(q.definition().serviceLevel().threshold()))
                .put("answered", q.answered())
                .put("answeredInTarget", q.answeredInTarget())
                .put("abandoned", q.abandoned())
                .put("maxWaitReached", q.maxWaitReached())
                .put("averageHandleSeconds", seconds(q.averageHandleTime()))
                .put("agents", agents);
    }

    public static JsonObject waitingCall(WaitingCall c) {
        return new JsonObject()
                .put("callId", c.callId())
                .put("queue", c.queueId())
                .put("priority", c.priority())
                .put("language", c.language())
                .put("requiredSkills", sorted(c.requiredSkills()))
                .put("enqueuedAt", text(c.enqueuedAt()))
                .put("offeredTo", c.offeredAgentId())
                .put("offers", c.offers());
    }

    public static JsonObject context(CallContext c) {
        return new JsonObject()
                .put("callId", c.callId())
                .put("ani", c.ani())
                .put("flow", c.flow())
                .put("customerId", c.customerId())
                .put("customerName", c.customerName())
                .put("tier", c.tier())
                .put("attributes", sorted(c.attributes()))
                .put("authResult", c.authResult())
                .put("verified", "OK".equals(c.authResult()))
                .put("intent", c.intent())
                .put("fields", sorted(c.fields()))
                .put("ivrPath", new JsonArray(c.ivrPath()))
                .put("inputs", sorted(c.inputs()))
                .put("timeInIvrSeconds", seconds(c.timeInIvr()))
                .put("timeInQueueSeconds", seconds(c.timeInQueue()))
                .put("queue", c.queue())
                .put("agentId", c.agentId())
                .put("offeredAt", text(c.offeredAt()))
                .put("callback", c.callback());
    }

    /** A desk message as the desktop receives it: type offered / connected / ended. */
    public static JsonObject desk(DeskMessage m) {
        JsonObject o = new JsonObject()
                .put("type", m.kind().name().toLowerCase(Locale.ROOT))
                .put("agentId", m.agentId())
                .put("callId", m.callId());
        if (m.context() != null) {
            o.put("context", context(m.context()));
        }
        if (m.reason() != null) {
            o.put("reason", m.reason());
        }
        if (m.seq() > 0) {
            o.put("seq", m.seq());
        }
        return o;
    }

    public static JsonObject exits(IvrExits.Snapshot s) {
        JsonArray nodes = new JsonArray();
        long total = s.totalExits();
        for (IvrExits.Exit e : s.exits()) {
            nodes.add(new JsonObject().put("flow", e.flow()).put("node", e.node()).put("count", e.count())
                    .put("share", total == 0 ? 0.0 : (double) e.count() / total));
        }
        JsonObject calls = new JsonObject();
        new TreeMap<>(s.calls()).forEach(calls::put);
        return new JsonObject()
                .put("windowSeconds", seconds(s.window()))
                .put("totalExits", total)
                .put("totalCalls", s.totalCalls())
                .put("calls", calls)
                .put("nodes", nodes);
    }

    public static JsonObject user(User u) {
        return new JsonObject()
                .put("id", u.id())
                .put("name", u.name())
                .put("roles", new JsonArray(u.roles().stream().sorted().toList()))
                .put("endpoint", u.endpoint())
                .put("skills", sorted(u.skills()))
                .put("languages", new JsonArray(u.languages().stream().sorted().toList()))
                .put("enabled", u.enabled())
                .put("createdAt", text(u.createdAt()))
                .put("updatedAt", text(u.updatedAt()));
    }

    public static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    public static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }

    private static JsonObject sorted(Map<String, ?> m) {
        JsonObject o = new JsonObject();
        new TreeMap<>(m).forEach(o::put);
        return o;
    }
}
