package dev.ivr.server.webhook.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.Principal;
import dev.ivr.server.webhook.Subscription;
import dev.ivr.server.webhook.store.Delivery;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import dev.ivr.server.webhook.store.Webhooks;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The webhooks API, admin only (documented in openapi.yaml, guide in docs/integration.md):
 * <ul>
 *   <li>{@code GET /api/webhooks}: the subscriptions with their pending and dead-letter counts (never secrets)</li>
 *   <li>{@code POST /api/webhooks} {@code {"url", "events": [...], "queue", "description"}}: 201 with the secret,
 *       the only time it is shown</li>
 *   <li>{@code GET/DELETE /api/webhooks/{id}}</li>
 *   <li>{@code GET /api/webhooks/{id}/dead-letters}, {@code POST /api/webhooks/{id}/dead-letters/replay}
 *       ({@code {"ids": [...]}} or no body: all)</li>
 * </ul>
 */
public final class WebhookRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
    private final Webhooks webhooks;
    private final Consumer<String> removed;
    private final Runnable replayed;

    /**
     * @param removed  told the id of a removed subscription (forget its metrics)
     * @param replayed told when dead letters went back to the queue (send them now)
     */
    public WebhookRoutes(Webhooks webhooks, Consumer<String> removed, Runnable replayed) {
        this.webhooks = webhooks;
        this.removed = removed;
        this.replayed = replayed;
    }

    /** Database work that may fail. */
    @FunctionalInterface
    private interface Work {
        void run(RoutingContext ctx) throws SQLException;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> admins = auth.require("admin");
        route(admins, router.get("/api/webhooks"), this::list);
        route(admins, router.post("/api/webhooks"), this::add);
        route(admins, router.get("/api/webhooks/:id"), this::get);
        route(admins, router.delete("/api/webhooks/:id"), this::remove);
        route(admins, router.get("/api/webhooks/:id/dead-letters"), this::deadLetters);
        route(admins, router.post("/api/webhooks/:id/dead-letters/replay"), this::replay);
    }

    private static void route(Handler<RoutingContext> admins, io.vertx.ext.web.Route route, Work work) {
        route.handler(admins).blockingHandler(ctx -> {
            try {
                work.run(ctx);
            } catch (SQLException e) {
                LOG.warn("webhooks API: the database is unavailable: {}", e.getMessage());
                HttpErrors.send(ctx, 503, "the database is unavailable; try again shortly");
            }
        }, false);
    }

    private void list(RoutingContext ctx) throws SQLException {
        Map<String, JdbcWebhooks.Counts> counts = webhooks.counts();
        JsonArray out = new JsonArray();
        for (JdbcWebhooks.Stored s : webhooks.list()) {
            out.add(json(s.subscription(), counts.get(s.subscription().id())));
        }
        ok(ctx, 200, new JsonObject().put("webhooks", out));
    }

    private void add(RoutingContext ctx) throws SQLException {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null || !(body.getValue("url") instanceof String url) || !(body.getValue("events") instanceof JsonArray events)) {
            HttpErrors.send(ctx, 400, "give {\"url\": \"https://...\", \"events\": [\"call.ended\", ...], \"queue\": \"...\"}",
                    Map.of("url", "required: where events are POSTed", "events", "required: event types, or [\"*\"]"));
            return;
        }
        List<String> names = new ArrayList<>();
        for (Object o : events) {
            if (!(o instanceof String n)) {
                HttpErrors.send(ctx, 400, "events must be strings", Map.of("events", "must be event type names"));
                return;
            }
            names.add(n);
        }
        Object queue = body.getValue("queue");
        Object description = body.getValue("description");
        if (queue != null && !(queue instanceof String) || description != null && !(description instanceof String)) {
            HttpErrors.send(ctx, 400, "queue and description must be text");
            return;
        }
        String by = ctx.get(Auth.PRINCIPAL) instanceof Principal p ? p.name() : "api";
        try {
            Webhooks.Created c = webhooks.add(url, names, (String) queue, (String) description, by);
            LOG.info("webhook {} added by {} for {}", c.subscription().id(), by, c.subscription().typeNames());
            ok(ctx, 201, json(c.subscription(), null).put("secret", c.secret()));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("unknown event") || e.getMessage().startsWith("events") ? "events"
                    : e.getMessage().startsWith("queue") ? "queue" : e.getMessage().startsWith("description") ? "description" : "url";
            HttpErrors.send(ctx, 400, e.getMessage(), Map.of(field, e.getMessage()));
        }
    }

    private void get(RoutingContext ctx) throws SQLException {
        String id = ctx.pathParam("id");
        var s = webhooks.get(id);
        if (s.isEmpty()) {
            HttpErrors.send(ctx, 404, "no webhook " + safe(id));
            return;
        }
        ok(ctx, 200, json(s.get(), webhooks.counts().get(id)));
    }

    private void remove(RoutingContext ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (!webhooks.remove(id)) {
            HttpErrors.send(ctx, 404, "no webhook " + safe(id));
            return;
        }
        removed.accept(id);
        LOG.info("webhook {} removed", id);
        ctx.response().setStatusCode(204).end();
    }

    private void deadLetters(RoutingContext ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (webhooks.get(id).isEmpty()) {
            HttpErrors.send(ctx, 404, "no webhook " + safe(id));
            return;
        }
        int limit;
        try {
            limit = ctx.request().getParam("limit") == null ? 100 : Integer.parseInt(ctx.request().getParam("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            HttpErrors.send(ctx, 400, "limit must be 1 to 1000");
            return;
        }
        JsonArray out = new JsonArray();
        for (Delivery d : webhooks.deadLetters(id, limit)) {
            out.add(new JsonObject().put("id", d.id()).put("eventId", d.eventId()).put("type", d.eventType())
                    .put("at", d.occurredAt().toString()).put("attempts", d.attempts()).put("lastStatus", d.lastStatus())
                    .put("lastError", d.lastError()).put("event", new JsonObject(d.payload())));
        }
        ok(ctx, 200, new JsonObject().put("deadLetters", out));
    }

    private void replay(RoutingContext ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (webhooks.get(id).isEmpty()) {
            HttpErrors.send(ctx, 404, "no webhook " + safe(id));
            return;
        }
        List<Long> ids = null;
        if (ctx.body() != null && ctx.body().length() > 0) {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                body = null;
            }
            if (body == null || body.getValue("ids") != null && !(body.getValue("ids") instanceof JsonArray)) {
                HttpErrors.send(ctx, 400, "give {\"ids\": [1, 2]} or no body (all)");
                return;
            }
            if (body.getValue("ids") instanceof JsonArray a) {
                ids = new ArrayList<>();
                for (Object o : a) {
                    if (!(o instanceof Number n)) {
                        HttpErrors.send(ctx, 400, "ids must be numbers");
                        return;
                    }
                    ids.add(n.longValue());
                }
            }
        }
        int n = webhooks.replay(id, ids);
        if (n > 0) {
            replayed.run();
        }
        LOG.info("webhook {}: {} dead letter(s) replayed", id, n);
        ok(ctx, 200, new JsonObject().put("replayed", n));
    }

    static JsonObject json(Subscription s, JdbcWebhooks.Counts counts) {
        JsonObject o = new JsonObject().put("id", s.id()).put("url", s.url()).put("events", new JsonArray(s.typeNames()))
                .put("queue", s.queue()).put("description", s.description()).put("createdAt", s.createdAt().toString())
                .put("createdBy", s.createdBy());
        return o.put("pending", counts == null ? 0 : counts.pending()).put("deadLetters", counts == null ? 0 : counts.dead());
    }

    private static String safe(String id) {
        return id.length() > 60 ? id.substring(0, 60) : id.replaceAll("[^\\w-]", "?");
    }

    private static void ok(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }
}
