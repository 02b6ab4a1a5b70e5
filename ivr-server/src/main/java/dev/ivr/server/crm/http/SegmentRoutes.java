package dev.ivr.server.crm.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.crm.segment.SegmentException;
import dev.ivr.server.crm.segment.Segments;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Segments over HTTP (supervisor; admin always):
 * <ul>
 *   <li>{@code GET /api/segments}: the saved segments</li>
 *   <li>{@code PUT /api/segments/{name}}: {@code {"expression": ..., "description": ...}}, checked
 *       first (400 with {@code fields.expression} = "line:column: what is wrong")</li>
 *   <li>{@code GET /api/segments/{name}/count?sample=5}: how many customers now, and a sample</li>
 *   <li>{@code DELETE /api/segments/{name}}</li>
 * </ul>
 */
public final class SegmentRoutes implements HttpRoutes {
    private final Segments segments;

    public SegmentRoutes(Segments segments) {
        this.segments = segments;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisors = auth.require("supervisor");
        router.get("/api/segments").handler(supervisors);
        router.get("/api/segments").blockingHandler(CrmRoutes.guarded(this::list), false);
        router.put("/api/segments/:name").handler(supervisors);
        router.put("/api/segments/:name").blockingHandler(CrmRoutes.guarded(this::save), false);
        router.get("/api/segments/:name/count").handler(supervisors);
        router.get("/api/segments/:name/count").blockingHandler(CrmRoutes.guarded(this::count), false);
        router.delete("/api/segments/:name").handler(supervisors);
        router.delete("/api/segments/:name").blockingHandler(CrmRoutes.guarded(this::delete), false);
    }

    private void list(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        segments.list().forEach(s -> list.add(json(s)));
        ok(ctx, 200, new JsonObject().put("segments", list));
    }

    private void save(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null || !(body.getValue("expression") instanceof String expression)) {
            HttpErrors.send(ctx, 400, "give {\"expression\": \"...\", \"description\": \"...\"}",
                    Map.of("expression", "required: the segment's condition in the flows' expression language"));
            return;
        }
        Object description = body.getValue("description");
        if (description != null && !(description instanceof String)) {
            HttpErrors.send(ctx, 400, "description must be text", Map.of("description", "must be text"));
            return;
        }
        String by = ctx.get(Auth.PRINCIPAL) instanceof dev.ivr.server.api.Principal p ? p.name() : "api";
        try {
            Segments.Segment s = segments.save(name, expression, (String) description, by);
            ok(ctx, 200, json(s));
        } catch (SegmentException e) {
            HttpErrors.send(ctx, 400, "expression: " + e.getMessage(), Map.of("expression", e.getMessage()));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("description") ? "description" : "name";
            HttpErrors.send(ctx, 400, e.getMessage(), Map.of(field, e.getMessage()));
        }
    }

    private void count(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        int sample = 5;
        String s = ctx.request().getParam("sample");
        if (s != null) {
            try {
                sample = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                sample = -1;
            }
            if (sample < 0 || sample > Segments.MAX_SAMPLE) {
                HttpErrors.send(ctx, 400, "sample must be a whole number from 0 to " + Segments.MAX_SAMPLE,
                        Map.of("sample", "0 to " + Segments.MAX_SAMPLE));
                return;
            }
        }
        try {
            var c = segments.count(name, sample);
            if (c.isEmpty()) {
                HttpErrors.send(ctx, 404, "no segment '" + name + "'");
                return;
            }
            JsonArray members = new JsonArray();
            c.get().sample().forEach(m -> members.add(new JsonObject().put("id", m.id()).put("firstName", m.firstName())
                    .put("lastName", m.lastName())));
            ok(ctx, 200, new JsonObject().put("segment", name).put("expression", c.get().expression())
                    .put("today", c.get().today().toString()).put("count", c.get().total()).put("sample", members));
        } catch (SegmentException e) {
            HttpErrors.send(ctx, 409, "segment " + name + ": " + e.getMessage()
                    + " (the declared attributes changed since it was saved: save it again)");
        }
    }

    private void delete(RoutingContext ctx) {
        if (segments.delete(ctx.pathParam("name"))) {
            ctx.response().setStatusCode(204).end();
        } else {
            HttpErrors.send(ctx, 404, "no segment '" + ctx.pathParam("name") + "'");
        }
    }

    private static JsonObject json(Segments.Segment s) {
        return new JsonObject().put("name", s.name()).put("expression", s.expression()).put("description", s.description())
                .put("updatedBy", s.updatedBy()).put("updatedAt", s.updatedAt() == null ? null : s.updatedAt().toString());
    }

    private static void ok(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }
}
