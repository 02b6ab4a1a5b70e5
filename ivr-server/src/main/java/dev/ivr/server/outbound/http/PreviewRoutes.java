package dev.ivr.server.outbound.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.Principal;
import dev.ivr.server.outbound.PreviewStore;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;

/**
 * A preview campaign's agent decides on the agent desktop (role agent, on their own agent id; admin always):
 * <ul>
 *   <li>{@code GET /api/agents/{id}/preview}: the customer the agent previews now (404 when none)</li>
 *   <li>{@code POST /api/agents/{id}/preview/accept}: the customer is dialled for this agent</li>
 *   <li>{@code POST /api/agents/{id}/preview/skip}: the contact gets its next attempt per the campaign's rules</li>
 * </ul>
 * Any server takes the click: the decision is written to the attempt in the database (once: 409 when the preview
 * was decided already, e.g. by its timeout), and the server that holds the preview acts on it.
 */
public final class PreviewRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewRoutes.class);
    private final PreviewStore store;
    private final Clock clock;

    public PreviewRoutes(PreviewStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> agents = auth.require("agent");
        router.get("/api/agents/:id/preview").handler(agents).handler(PreviewRoutes::self);
        router.get("/api/agents/:id/preview").blockingHandler(Handlers.guarded(this::current), false);
        for (String action : new String[]{"accept", "skip"}) {
            String decision = "accept".equals(action) ? PreviewStore.ACCEPTED : PreviewStore.SKIPPED;
            router.post("/api/agents/:id/preview/" + action).handler(agents).handler(PreviewRoutes::self);
            router.post("/api/agents/:id/preview/" + action).blockingHandler(Handlers.guarded(ctx -> decide(ctx, decision)),
                    false);
        }
    }

    /** Only the agent itself (and admin) may see and decide an agent's preview. */
    private static void self(RoutingContext ctx) {
        Principal p = ctx.get(Auth.PRINCIPAL);
        if (p != null && (p.roles().contains("admin") || ctx.pathParam("id").equals(p.agentId()))) {
            ctx.next();
            return;
        }
        ctx.fail(new HttpErrors.HttpError(403, "an agent may act only on their own agent id"));
    }

    private void current(RoutingContext ctx) throws SQLException {
        PreviewStore.Current c = store.current(ctx.pathParam("id"))
                .orElseThrow(() -> new HttpErrors.HttpError(404, "no preview on this agent's desktop now"));
        Handlers.json(ctx, 200, json(c));
    }

    private void decide(RoutingContext ctx, String decision) throws SQLException {
        String agentId = ctx.pathParam("id");
        PreviewStore.Current c = store.current(agentId)
                .orElseThrow(() -> new HttpErrors.HttpError(404, "no preview on this agent's desktop now"));
        if (!store.decide(c.attemptId(), agentId, decision, clock.instant())) {
            String was = store.current(agentId).map(PreviewStore.Current::decision).orElse("ended");
            throw new HttpErrors.HttpError(409, "this preview is decided already (" + was + ")");
        }
        LOG.info("agent '{}' {} the preview of customer {} (campaign {}, attempt {})", agentId,
                PreviewStore.ACCEPTED.equals(decision) ? "accepted" : "skipped", c.customerId(), c.campaign(), c.attemptNo());
        Handlers.json(ctx, 200, json(c).put("decision", decision));
    }

    private static JsonObject json(PreviewStore.Current c) {
        return new JsonObject().put("campaign", c.campaign()).put("customer", c.customerId()).put("phone", c.phone())
                .put("attempt", c.attemptNo()).put("callId", "preview-" + c.attemptId())
                .put("previewedAt", c.previewedAt() == null ? null : c.previewedAt().toString())
                .put("decision", c.decision());
    }
}
