package dev.ivr.server.desk.http;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.Principal;
import dev.ivr.server.call.Supervision;
import dev.ivr.server.desk.live.DeskJson;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.desk.users.UserStore;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.DeskRoutes.principal;
import static dev.ivr.server.desk.http.DeskRoutes.printable;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * What supervisors do to agents (role supervisor; documented in {@code openapi.yaml}):
 * <ul>
 *   <li>{@code POST /api/agents/{id}/spy}: {@code {"mode": "listen"|"whisper"|"barge"}} rings the supervisor's own
 *       phone (the endpoint of their user) into the agent's call (AMI Originate into ChanSpy)</li>
 *   <li>{@code POST /api/agents/{id}/force-state}: {@code {"state": "not-ready"|"logout", "reason": "..."}} (a
 *       not-ready reason from {@code desk.not-ready-reasons}; during a call it applies after the call's wrap-up)</li>
 *   <li>{@code PUT /api/agents/{id}/skills}: {@code {"skills": {"billing": 5}}} replaces a logged-in agent's skills
 *       and levels at run time, cluster-wide, from the next offer on</li>
 * </ul>
 * Every action is logged with the supervisor's name.
 */
public final class SupervisorRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorRoutes.class);

    private final RoutingService routing;
    private final UserStore users;
    private final Supervision supervision;
    private final List<String> notReadyReasons;

    public SupervisorRoutes(RoutingService routing, UserStore users, Supervision supervision, List<String> notReadyReasons) {
        this.routing = routing;
        this.users = users;
        this.supervision = supervision;
        this.notReadyReasons = List.copyOf(notReadyReasons);
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisor = auth.require("supervisor");
        router.post("/api/agents/:id/spy").handler(supervisor).blockingHandler(guarded(this::spy), false);
        router.post("/api/agents/:id/force-state").handler(supervisor).blockingHandler(guarded(this::forceState), false);
        router.put("/api/agents/:id/skills").handler(supervisor).blockingHandler(guarded(this::skills), false);
    }

    private void spy(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        Supervision.Mode mode;
        try {
            mode = Supervision.Mode.valueOf(String.valueOf(b.getValue("mode")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "mode must be listen, whisper or barge");
            return;
        }
        String agentId = ctx.pathParam("id");
        Agent a = routing.agent(agentId).orElse(null);
        if (a == null || a.state() != AgentState.ON_CALL) {
            error(ctx, 409, "agent '" + printable(agentId) + "' is not on a call");
            return;
        }
        Principal p = principal(ctx);
        Optional<String> phone = users.find(p.name()).map(User::endpoint).filter(e -> !e.isBlank());
        if (phone.isEmpty()) {
            error(ctx, 409, "you have no phone to listen on: an admin gives your user an endpoint (e.g. PJSIP/1900)");
            return;
        }
        try {
            supervision.spy(phone.get(), a.endpoint(), mode);
        } catch (IllegalStateException e) {
            error(ctx, 503, e.getMessage());
            return;
        }
        LOG.info("supervisor '{}': {} on agent '{}' ({}), call {}, from {}", p.name(), mode, agentId, a.endpoint(),
                a.callId(), phone.get());
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("mode", mode.name().toLowerCase(Locale.ROOT)).put("agentId", agentId)
                        .put("phone", phone.get()).put("callId", a.callId()).encodePrettily());
    }

    private void forceState(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String agentId = ctx.pathParam("id");
        String state = b.getValue("state") instanceof String s ? s : "";
        String reason = b.getValue("reason") instanceof String r ? r : null;
        Agent after;
        switch (state) {
            case "not-ready" -> {
                if (reason == null || !notReadyReasons.contains(reason)) {
                    error(ctx, 400, "reason must be one of: " + String.join(", ", notReadyReasons));
                    return;
                }
                after = routing.notReady(agentId, reason);
            }
            case "logout" -> after = routing.logout(agentId);
            default -> {
                error(ctx, 400, "state must be not-ready or logout");
                return;
            }
        }
        LOG.info("supervisor '{}' forced agent '{}' to {}{}", principal(ctx).name(), agentId, state,
                reason == null ? "" : " (" + printable(reason) + ")");
        ok(ctx, DeskJson.agent(after));
    }

    private void skills(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        if (!(b.getValue("skills") instanceof JsonObject given)) {
            error(ctx, 400, "give skills as {\"skill\": level}");
            return;
        }
        Map<String, Integer> skills = new LinkedHashMap<>();
        for (String skill : given.fieldNames()) {
            if (!(given.getValue(skill) instanceof Integer level) || level < 1 || level > 10
                    || !skill.matches("[A-Za-z0-9_.-]{1,64}")) {
                error(ctx, 400, "skill '" + printable(skill) + "': names are letters, digits, '_', '-', '.' and levels 1 to 10");
                return;
            }
            skills.put(skill, level);
        }
        String agentId = ctx.pathParam("id");
        Agent after = routing.changeSkills(agentId, skills);
        LOG.info("supervisor '{}' changed agent '{}' skills to {}", principal(ctx).name(), agentId, skills);
        ok(ctx, DeskJson.agent(after));
    }
}
