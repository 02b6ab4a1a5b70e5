package dev.ivr.server.callback.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.callback.CallbackService;
import dev.ivr.server.callback.StoredCallback;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The cluster's callbacks on the HTTP API (roles supervisor and admin):
 * <ul>
 *   <li>{@code GET /api/callbacks}: every callback the cluster holds, soonest first</li>
 *   <li>{@code POST /api/callbacks} {@code {"number": "+3612345678", "queue": "support", "at": "2026-12-03T15:00:00Z",
 *       "priority": 0, "customerId": "...", "language": "en"}}: schedules one ({@code at} absent: now); 201</li>
 *   <li>{@code DELETE /api/callbacks/{id}}: cancels one that is scheduled or waiting; 404 unknown, 409 when its agent
 *       is being rung or it is over</li>
 * </ul>
 */
public final class CallbackRoutes implements HttpRoutes {
    private final CallbackService callbacks;

    public CallbackRoutes(CallbackService callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisors = auth.require("supervisor", "admin");
        router.get("/api/callbacks").handler(supervisors);
        router.get("/api/callbacks").blockingHandler(this::list, false);
        router.post("/api/callbacks").handler(supervisors);
        router.post("/api/callbacks").blockingHandler(this::schedule, false);
        router.delete("/api/callbacks/:id").handler(supervisors);
        router.delete("/api/callbacks/:id").blockingHandler(this::cancel, false);
    }

    private void list(RoutingContext ctx) {
        JsonArray items = new JsonArray();
        callbacks.list().forEach(c -> items.add(json(c)));
        ok(ctx, 200, new JsonObject().put("callbacks", items));
    }

    private void schedule(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            HttpErrors.send(ctx, 400, "the body must be a JSON object");
            return;
        }
        if (body == null) {
            HttpErrors.send(ctx, 400, "the body must be a JSON object with number and queue");
            return;
        }
        Instant at = null;
        try {
            String when = body.getString("at");
            at = when == null || when.isBlank() ? null : Instant.parse(when);
            StoredCallback c = callbacks.schedule(body.getString("number"), body.getString("queue"), at,
                    body.getInteger("priority", 0), body.getString("customerId"), body.getString("language"));
            ok(ctx, 201, json(c));
        } catch (DateTimeParseException e) {
            HttpErrors.send(ctx, 400, "at must be an ISO-8601 instant such as 2026-12-03T15:00:00Z");
        } catch (ClassCastException e) {
            HttpErrors.send(ctx, 400, "number, queue, at, customerId and language are strings, priority a number");
        } catch (IllegalArgumentException e) {
            HttpErrors.send(ctx, 400, e.getMessage());
        }
    }

    private void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        switch (callbacks.cancel(id)) {
            case CANCELLED -> ok(ctx, 200, new JsonObject().put("id", id).put("state", "CANCELLED"));
            case NOT_FOUND -> HttpErrors.send(ctx, 404, "no callback '" + id + "'");
            case ALREADY_OVER -> HttpErrors.send(ctx, 409, "callback '" + id + "' is over");
            case DIALING -> HttpErrors.send(ctx, 409, "callback '" + id + "' is being dialled");
        }
    }

    static JsonObject json(StoredCallback c) {
        return new JsonObject().put("id", c.id()).put("callId", c.callId()).put("number", c.number())
                .put("queue", c.queue()).put("state", c.state()).put("dueAt", text(c.dueAt()))
                .put("requestedAt", text(c.requestedAt())).put("enqueuedAt", text(c.enqueuedAt()))
                .put("attempts", c.attempts()).put("owner", c.owner()).put("reason", c.reason())
                .put("updatedAt", text(c.updatedAt()));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static void ok(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }
}
