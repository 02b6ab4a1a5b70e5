package dev.ivr.server.outbound.http;

import dev.ivr.server.api.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.sql.SQLException;
import java.util.Map;

/** What the outbound routes share: blocking handlers whose database failures answer 503, bad input 400, JSON answers. */
final class Handlers {
    private Handlers() {
    }

    /** A handler that may fail with a database error. */
    @FunctionalInterface
    interface Work {
        void handle(RoutingContext ctx) throws SQLException;
    }

    /** A field of the request that cannot be used: answered 400 with {@code fields.FIELD}. */
    static final class BadField extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;

        BadField(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }
    }

    /** The request's {@code limit} parameter: {@code dflt} without it, else a whole number from 1 to {@code max}. */
    static int limit(RoutingContext ctx, int dflt, int max) {
        String l = ctx.request().getParam("limit");
        if (l == null) {
            return dflt;
        }
        int limit;
        try {
            limit = Integer.parseInt(l.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw new BadField("limit", "a whole number from 1 to " + max);
        }
        return limit;
    }

    static Handler<RoutingContext> guarded(Work work) {
        return ctx -> {
            try {
                work.handle(ctx);
            } catch (BadField e) {
                HttpErrors.send(ctx, 400, e.field + ": " + e.getMessage(), Map.of(e.field, e.getMessage()));
            } catch (SQLException e) {
                ctx.fail(new HttpErrors.HttpError(503, "the database is unavailable; try again shortly"));
            }
        };
    }

    /** The request's JSON object body, or a 400. */
    static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o != null) {
                return o;
            }
        } catch (DecodeException | ClassCastException e) {
            // below
        }
        throw new BadField("body", "must be a JSON object");
    }

    /** A text field: null when absent and not required; a 400 when not text, too long or absent and required. */
    static String text(JsonObject body, String field, boolean required, int max) {
        Object v = body.getValue(field);
        if (v == null) {
            if (required) {
                throw new BadField(field, "required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new BadField(field, "must be text");
        }
        if (s.length() > max) {
            throw new BadField(field, "at most " + max + " characters");
        }
        return s;
    }

    static String principal(RoutingContext ctx) {
        return ctx.get(dev.ivr.server.api.Auth.PRINCIPAL) instanceof dev.ivr.server.api.Principal p ? p.name() : "api";
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }
}
