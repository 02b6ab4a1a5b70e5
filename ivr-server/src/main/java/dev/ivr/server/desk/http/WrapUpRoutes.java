package dev.ivr.server.desk.http;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.WrapUp;
import dev.ivr.server.crm.WrapUps;
import dev.ivr.server.desk.live.DeskJson;
import dev.ivr.server.desk.wrapup.WrapUpPolicy;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.DeskRoutes.principal;
import static dev.ivr.server.desk.http.DeskRoutes.printable;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * Wrap-up from the agent desktop (documented in {@code openapi.yaml}):
 * <ul>
 *   <li>{@code GET /api/wrap-up/policies}: each queue's wrap-up codes, whether one is required, the wrap-up time
 *       and the longest extension</li>
 *   <li>{@code PUT /api/agents/{id}/calls/{callId}/wrap-up}: the agent's disposition and note for a call offered to
 *       them ({@code {"code": "resolved", "note": "..."}}), kept with the call's interaction</li>
 *   <li>{@code GET /api/agents/{id}/calls/{callId}/wrap-up}: what was saved (the agent, supervisors)</li>
 *   <li>{@code POST /api/agents/{id}/wrap-up/extend}: {@code {"seconds": 60}} more wrap-up time, within the queue's
 *       extension</li>
 *   <li>{@code POST /api/agents/{id}/wrap-up-done}: ends wrap-up; refused (409) while the queue requires a code and
 *       none was saved for the call</li>
 * </ul>
 * An agent may wrap up only calls that were offered to them (the call's context names them) or that they hold.
 * Notes are plain text (their length limited, control characters dropped) and never logged.
 */
public final class WrapUpRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(WrapUpRoutes.class);

    private final RoutingService routing;
    private final CallContexts contexts;
    private final WrapUps store;
    private final java.util.function.Supplier<Map<String, WrapUpPolicy>> policies;
    private final Clock clock;

    public WrapUpRoutes(RoutingService routing, CallContexts contexts, WrapUps store, Map<String, WrapUpPolicy> policies,
                        Clock clock) {
        this(routing, contexts, store, fixed(policies), clock);
    }

    private static java.util.function.Supplier<Map<String, WrapUpPolicy>> fixed(Map<String, WrapUpPolicy> policies) {
        Map<String, WrapUpPolicy> copy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(policies));
        return () -> copy;
    }

    /** @param policies the queues' policies as they are now (queue settings change at run time) */
    public WrapUpRoutes(RoutingService routing, CallContexts contexts, WrapUps store,
                        java.util.function.Supplier<Map<String, WrapUpPolicy>> policies, Clock clock) {
        this.routing = routing;
        this.contexts = contexts;
        this.store = store;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> signedIn = auth.require(DeskRoutes.SIGNED_IN);
        Handler<RoutingContext> agent = auth.require("agent");
        Handler<RoutingContext> agentOrSupervisor = auth.require("agent", "supervisor");
        router.get("/api/wrap-up/policies").handler(signedIn).handler(ctx -> ok(ctx, policiesJson()));
        router.put("/api/agents/:id/calls/:callId/wrap-up").handler(agent).handler(DeskRoutes.self(false))
                .blockingHandler(guardedStore(this::save), false);
        router.get("/api/agents/:id/calls/:callId/wrap-up").handler(agentOrSupervisor).handler(DeskRoutes.self(true))
                .blockingHandler(guardedStore(this::read), false);
        router.post("/api/agents/:id/wrap-up/extend").handler(agent).handler(DeskRoutes.self(false))
                .blockingHandler(guarded(this::extend), false);
        router.post("/api/agents/:id/wrap-up-done").handler(agent).handler(DeskRoutes.self(false))
                .blockingHandler(guardedStore(this::done), false);
    }

    private JsonObject policiesJson() {
        JsonArray list = new JsonArray();
        policies.get().values().forEach(p -> list.add(policyJson(p)));
        return new JsonObject().put("queues", list).put("maxNoteLength", WrapUp.MAX_NOTE);
    }

    static JsonObject policyJson(WrapUpPolicy p) {
        return new JsonObject().put("queue", p.queue()).put("name", p.name()).put("codes", new JsonArray(p.codes()))
                .put("codeRequired", p.codeRequired()).put("wrapUpSeconds", p.time().toSeconds())
                .put("maxExtensionSeconds", p.maxExtension().toSeconds());
    }

    /** The queue of a call the agent may wrap up: from its context (offered to them) or the agent's own state. */
    private Optional<String> queueOfCall(String agentId, String callId) {
        Optional<CallContext> c = contexts.get(callId).filter(x -> agentId.equals(x.agentId()));
        if (c.isPresent()) {
            return Optional.of(c.get().queue() == null ? "" : c.get().queue());
        }
        return routing.agent(agentId).filter(a -> callId.equals(a.callId()))
                .map(a -> a.queueId() == null ? "" : a.queueId());
    }

    private WrapUpPolicy policy(String queue) {
        return policies.get().getOrDefault(queue, WrapUpPolicy.none(queue));
    }

    private void save(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String agentId = ctx.pathParam("id");
        String callId = ctx.pathParam("callId");
        Optional<String> queue = queueOfCall(agentId, callId);
        if (queue.isEmpty()) {
            error(ctx, 404, "call '" + printable(callId) + "' was not offered to you (or its context has expired)");
            return;
        }
        Object code = b.getValue("code");
        Object note = b.getValue("note");
        if (code != null && !(code instanceof String) || note != null && !(note instanceof String)) {
            error(ctx, 400, "code and note must be strings");
            return;
        }
        String chosen = code == null || ((String) code).isBlank() ? null : ((String) code).strip();
        WrapUpPolicy policy = policy(queue.get());
        Optional<String> refused = policy.refuse(chosen);
        if (refused.isPresent()) {
            error(ctx, 400, refused.get());
            return;
        }
        WrapUp w = new WrapUp(callId, agentId, queue.get().isEmpty() ? null : queue.get(), chosen, (String) note,
                clock.instant()); // IllegalArgumentException (note too long) -> 400
        store.save(w);
        LOG.info("agent '{}' wrapped up call {}: code {}, note of {} characters", agentId, printable(callId), chosen,
                w.note() == null ? 0 : w.note().length());
        ok(ctx, new JsonObject().put("wrapUp", json(w)));
    }

    private void read(RoutingContext ctx) {
        store.find(ctx.pathParam("callId"), ctx.pathParam("id")).ifPresentOrElse(w -> ok(ctx, json(w)),
                () -> error(ctx, 404, "no wrap-up saved for this call by this agent"));
    }

    private void extend(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String agentId = ctx.pathParam("id");
        if (!(b.getValue("seconds") instanceof Number n) || n.longValue() < 1 || n.longValue() > 3600) {
            error(ctx, 400, "seconds must be a whole number from 1 to 3600");
            return;
        }
        Agent a = routing.agent(agentId).orElse(null);
        if (a == null || a.state() != AgentState.WRAP_UP || a.wrapUpUntil() == null) {
            error(ctx, 409, "you are not in wrap-up");
            return;
        }
        WrapUpPolicy policy = policy(a.queueId());
        Instant now = clock.instant();
        Instant newEnd = (a.wrapUpUntil().isAfter(now) ? a.wrapUpUntil() : now).plusSeconds(n.longValue());
        Instant latest = a.stateSince().plus(policy.time()).plus(policy.maxExtension());
        if (newEnd.isAfter(latest.plusSeconds(1))) {
            error(ctx, 409, "queue " + a.queueId() + " allows at most " + policy.maxExtension().toSeconds()
                    + " s more wrap-up time in all");
            return;
        }
        Agent extended = routing.extendWrapUp(agentId, Duration.ofSeconds(n.longValue()));
        LOG.info("agent '{}' extended wrap-up of call {} by {} s", agentId, a.callId(), n.longValue());
        ok(ctx, DeskJson.agent(extended));
    }

    private void done(RoutingContext ctx) {
        String agentId = ctx.pathParam("id");
        Optional<Agent> a = routing.agent(agentId);
        if (a.isPresent() && a.get().state() == AgentState.WRAP_UP && a.get().callId() != null) {
            WrapUpPolicy policy = policy(a.get().queueId());
            if (policy.codeRequired() && store.find(a.get().callId(), agentId).map(WrapUp::code).isEmpty()) {
                error(ctx, 409, "choose a wrap-up code for this call first (queue " + a.get().queueId()
                        + " requires one)");
                return;
            }
        }
        Agent after = routing.wrapUpDone(agentId);
        LOG.info("agent '{}': wrap-up done (by {})", agentId, principal(ctx).name());
        ok(ctx, DeskJson.agent(after));
    }

    /** A wrap-up as JSON (the note as plain text: pages put it in as text, never as HTML). */
    public static JsonObject json(WrapUp w) {
        return new JsonObject().put("callId", w.callId()).put("agentId", w.agentId()).put("queue", w.queue())
                .put("code", w.code()).put("note", w.note()).put("savedAt", w.savedAt().toString());
    }

    private static Handler<RoutingContext> guardedStore(Handler<RoutingContext> h) {
        return guarded(ctx -> {
            try {
                h.handle(ctx);
            } catch (CrmUnavailableException e) {
                LOG.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
                error(ctx, 503, "the database is unavailable; your wrap-up was not saved, try again shortly");
            }
        });
    }
}
