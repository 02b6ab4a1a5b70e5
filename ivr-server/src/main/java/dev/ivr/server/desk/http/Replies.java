package dev.ivr.server.desk.http;

import dev.ivr.server.api.HttpErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON replies and request bodies of the desk API: errors are {@code {"error": "..."}}. */
final class Replies {
    private Replies() {
    }

    static void ok(RoutingContext ctx, JsonObject body) {
        send(ctx, 200, body.encodePrettily());
    }

    static void ok(RoutingContext ctx, JsonArray body) {
        send(ctx, 200, body.encodePrettily());
    }

    static void error(RoutingContext ctx, int status, String message) {
        HttpErrors.send(ctx, status, message);
    }

    static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
    }

    private static void send(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body);
    }

    /** The JSON object body, an empty object for no body, or null after answering 400. */
    static JsonObject body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() == 0) {
            return new JsonObject();
        }
        try {
            Object v = ctx.body().asJsonObject();
            if (v == null) {
                return new JsonObject();
            }
            return (JsonObject) v;
        } catch (DecodeException | ClassCastException e) {
            error(ctx, 400, "the body must be a JSON object");
            return null;
        }
    }
}
