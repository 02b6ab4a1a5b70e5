package dev.ivr.server.outbound.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.outbound.DncCsv;
import dev.ivr.server.outbound.DncList;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The do-not-call list over HTTP:
 * <ul>
 *   <li>{@code GET /api/dnc?campaign=&limit=} (supervisor): entries of one list ({@code *}: every campaign's)</li>
 *   <li>{@code GET /api/dnc/check?number=} (supervisor): the entries of a number in any format</li>
 *   <li>{@code POST /api/dnc} (supervisor): {@code {"numbers": [...], "campaign": ..., "reason": ...}}, all or none</li>
 *   <li>{@code POST /api/dnc/import?campaign=} (supervisor): a text or CSV body, one number a line</li>
 *   <li>{@code GET /api/dnc/export?campaign=} (supervisor): CSV</li>
 *   <li>{@code DELETE /api/dnc?number=&campaign=} (admin): taking a number off is kept for admins</li>
 * </ul>
 */
public final class DncRoutes implements HttpRoutes {
    private static final int MAX_NUMBERS = 100_000;
    private final DncList dnc;
    private final Clock clock;

    public DncRoutes(DncList dnc, Clock clock) {
        this.dnc = dnc;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisors = auth.require("supervisor");
        router.get("/api/dnc").handler(supervisors);
        router.get("/api/dnc").blockingHandler(Handlers.guarded(this::list), false);
        router.get("/api/dnc/check").handler(supervisors);
        router.get("/api/dnc/check").blockingHandler(Handlers.guarded(this::check), false);
        router.post("/api/dnc").handler(supervisors);
        router.post("/api/dnc").blockingHandler(Handlers.guarded(this::add), false);
        router.post("/api/dnc/import").handler(supervisors);
        router.post("/api/dnc/import").blockingHandler(Handlers.guarded(this::importList), false);
        router.get("/api/dnc/export").handler(supervisors);
        router.get("/api/dnc/export").blockingHandler(Handlers.guarded(this::export), false);
        router.delete("/api/dnc").handler(auth.require("admin"));
        router.delete("/api/dnc").blockingHandler(Handlers.guarded(this::remove), false);
    }

    private static String scope(RoutingContext ctx) {
        try {
            return DncList.scope(ctx.request().getParam("campaign"));
        } catch (IllegalArgumentException e) {
            throw new Handlers.BadField("campaign", e.getMessage());
        }
    }

    private String number(String raw, String field) {
        try {
            return dnc.normalise(raw);
        } catch (IllegalArgumentException e) {
            throw new Handlers.BadField(field, e.getMessage());
        }
    }

    private void list(RoutingContext ctx) throws SQLException {
        String scope = scope(ctx);
        int limit = Handlers.limit(ctx, 1000, 10_000);
        JsonArray entries = new JsonArray();
        dnc.list(scope, limit).forEach(e -> entries.add(json(e)));
        Handlers.json(ctx, 200, new JsonObject().put("scope", scope).put("count", dnc.count(scope)).put("entries", entries));
    }

    private void check(RoutingContext ctx) throws SQLException {
        String n = ctx.request().getParam("number");
        if (n == null || n.isBlank()) {
            throw new Handlers.BadField("number", "required");
        }
        String e164 = number(n, "number");
        JsonArray entries = new JsonArray();
        dnc.lookup(e164).forEach(e -> entries.add(json(e)));
        Handlers.json(ctx, 200, new JsonObject().put("number", e164).put("listed", !entries.isEmpty()).put("entries", entries));
    }

    private void add(RoutingContext ctx) throws SQLException {
        JsonObject body = Handlers.body(ctx);
        if (!(body.getValue("numbers") instanceof JsonArray arr) || arr.isEmpty() || arr.size() > MAX_NUMBERS) {
            throw new Handlers.BadField("numbers", "a list of 1 to " + MAX_NUMBERS + " phone numbers");
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            if (!(arr.getValue(i) instanceof String s)) {
                throw new Handlers.BadField("numbers[" + i + "]", "must be text");
            }
            numbers.add(number(s, "numbers[" + i + "]"));
        }
        String campaign = Handlers.text(body, "campaign", false, 64);
        String reason = Handlers.text(body, "reason", false, 255);
        String scope;
        try {
            scope = DncList.scope(campaign);
        } catch (IllegalArgumentException e) {
            throw new Handlers.BadField("campaign", e.getMessage());
        }
        int added = dnc.addAll(numbers, scope, DncList.Origin.of("api", reason, Handlers.principal(ctx)), clock.instant());
        Handlers.json(ctx, 200, new JsonObject().put("scope", scope).put("received", numbers.size()).put("added", added));
    }

    private void importList(RoutingContext ctx) throws SQLException {
        String scope = scope(ctx);
        String text = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
        List<String> raw = DncCsv.numbers(List.of(text.split("\r?\n")));
        if (raw.isEmpty() || raw.size() > MAX_NUMBERS) {
            throw new Handlers.BadField("body", "one phone number a line, 1 to " + MAX_NUMBERS);
        }
        int added;
        try {
            added = dnc.addAll(raw, scope, DncList.Origin.of("import", ctx.request().getParam("reason"), Handlers.principal(ctx)),
                    clock.instant());
        } catch (IllegalArgumentException e) {
            throw new Handlers.BadField("body", e.getMessage());
        }
        Handlers.json(ctx, 200, new JsonObject().put("scope", scope).put("received", raw.size()).put("added", added));
    }

    private void export(RoutingContext ctx) throws SQLException {
        String scope = ctx.request().getParam("campaign") == null ? null : scope(ctx);
        StringBuilder csv = new StringBuilder(DncCsv.HEADER).append('\n');
        for (DncList.Entry e : dnc.list(scope, Integer.MAX_VALUE)) {
            csv.append(DncCsv.line(e)).append('\n');
        }
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8").putHeader("Cache-Control", "no-store")
                .putHeader("Content-Disposition", "attachment; filename=\"dnc.csv\"").end(csv.toString());
    }

    private void remove(RoutingContext ctx) throws SQLException {
        String n = ctx.request().getParam("number");
        if (n == null || n.isBlank()) {
            throw new Handlers.BadField("number", "required");
        }
        String e164 = number(n, "number");
        if (dnc.remove(e164, scope(ctx))) {
            ctx.response().setStatusCode(204).end();
        } else {
            dev.ivr.server.api.HttpErrors.send(ctx, 404, e164 + " is not on that list");
        }
    }

    private static JsonObject json(DncList.Entry e) {
        return new JsonObject().put("number", e.e164()).put("scope", e.scope()).put("source", e.source()).put("reason", e.reason())
                .put("campaign", e.campaign()).put("callId", e.callId()).put("customerId", e.customerId())
                .put("addedBy", e.addedBy()).put("addedAt", e.addedAt() == null ? null : e.addedAt().toString());
    }
}
