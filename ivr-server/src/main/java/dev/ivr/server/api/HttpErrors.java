package dev.ivr.server.api;

import dev.ivr.server.logging.LogText;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP error the server answers, in one shape: {@code {"error": "..."}} as JSON, never cached. Routes
 * answer their own errors with {@link #send}, or throw an {@link HttpError}; whatever else fails in a
 * handler, a path no route serves and a method a path does not take are answered here by the router's
 * failure and error handlers ({@link #install}), instead of Vert.x's plain-text or HTML pages. A response
 * whose head was already sent is left alone. Server errors (5xx) are logged with the method and the path.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** A handler's way to answer an error by throwing: the status and the message the client sees. */
    public static final class HttpError extends RuntimeException {
        private final int status;

        public HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** How a subsystem's exceptions answer: the {@link HttpError} for one it knows (its status and message), or null. */
    @FunctionalInterface
    public interface Mapping {
        HttpError map(RuntimeException e);
    }

    /**
     * A handler whose exceptions all go to the router's failure handler ({@link #install}): those {@code mapping}
     * knows as their {@link HttpError}, any other as a server error (500, logged). The one place where routes'
     * domain exceptions become statuses, instead of each route catching and writing them.
     */
    public static Handler<RoutingContext> guarded(Handler<RoutingContext> handler, Mapping mapping) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (HttpError e) {
                ctx.fail(e);
            } catch (RuntimeException e) {
                HttpError mapped = mapping.map(e);
                ctx.fail(mapped != null ? mapped : e);
            }
        };
    }

    /** Answers {@code status} with {@code {"error": message}}, unless the response has already begun. */
    public static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(new JsonObject().put("error", message).encode());
    }

    /** As {@link #send(RoutingContext, int, String)}, with {@code "fields": {field: problem}} for a request's bad fields. */
    public static void send(RoutingContext ctx, int status, String message, java.util.Map<String, String> fields) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        JsonObject f = new JsonObject();
        fields.forEach(f::put);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(new JsonObject().put("error", message).put("fields", f).encode());
    }

    /** The router's failure handler (for every route) and its handlers for 404, 405 and 500. */
    public static void install(Router router) {
        router.route().failureHandler(HttpErrors::failed);
        for (int status : new int[] {404, 405, 500}) {
            router.errorHandler(status, ctx -> send(ctx, status, reason(status)));
        }
    }

    private static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String message;
        if (failure instanceof HttpError e) {
            status = e.status();
            message = e.getMessage();
        } else if (failure instanceof DecodeException) {
            status = 400;
            message = "the body is not valid JSON";
        } else {
            status = failure == null && ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
            message = reason(status);
        }
        if (status >= 500 && failure instanceof HttpError) {
            LOG.warn("{} {}: {} {}", ctx.request().method(), LogText.escape(ctx.request().path()), status, message);
        } else if (status >= 500) {
            LOG.error("{} {}: {}", ctx.request().method(), LogText.escape(ctx.request().path()),
                    failure == null ? status : failure.toString(), failure);
        }
        send(ctx, status, message);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request entity too large";
            case 503 -> "service unavailable";
            default -> status >= 500 ? "internal server error" : "error " + status;
        };
    }
}
