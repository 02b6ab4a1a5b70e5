package dev.ivr.server.api;

import dev.ivr.server.config.HttpConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server (Vert.x): {@code /health} (open: component states only), {@code /metrics}
 * (Prometheus text; token with role monitor, supervisor or admin), and the routes features
 * add ({@link HttpRoutes}).
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final HttpServer server;
    private final List<String> apiRoutes;

    private HttpApi(HttpServer server, List<String> apiRoutes) {
        this.server = server;
        this.apiRoutes = apiRoutes;
    }

    public static HttpApi start(Vertx vertx, HttpConfig config, Auth auth, HealthRegistry health, Metrics metrics,
                                List<HttpRoutes> features) {
        Router router = Router.router(vertx);
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(10 * 1024 * 1024).setHandleFileUploads(false));
        router.get("/health").blockingHandler(ctx -> {
            HealthRegistry.Report r = health.report();
            JsonObject body = new JsonObject().put("status", r.status().name());
            JsonObject comps = new JsonObject();
            for (Map.Entry<String, Health> e : r.components().entrySet()) {
                comps.put(e.getKey(), new JsonObject().put("status", e.getValue().status().name())
                        .put("detail", e.getValue().detail()));
            }
            body.put("components", comps);
            ctx.response().setStatusCode(r.httpStatus()).putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
        }, false);
        router.get("/metrics").handler(auth.require("monitor", "supervisor"));
        router.get("/metrics").blockingHandler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()), false);
        for (HttpRoutes f : features) {
            f.mount(router, auth);
        }
        try {
            HttpServer s = vertx.createHttpServer().requestHandler(router)
                    .listen(config.port(), config.bind())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("HTTP listening on {}:{}", config.bind(), s.actualPort());
            return new HttpApi(s, apiRoutes(router));
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for HTTP on " + config.bind() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * Every operation mounted under {@code /api/} as {@code "METHOD /api/path/{param}"}, sorted
     * (what the OpenAPI document must describe).
     */
    public List<String> apiRoutes() {
        return apiRoutes;
    }

    private static List<String> apiRoutes(Router router) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/api/") || !r.isExactPath() || r.methods() == null) {
                continue;
            }
            String templated = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            r.methods().forEach(m -> out.add(m.name() + " " + templated));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("HTTP close: {}", e.toString());
        }
    }
}
