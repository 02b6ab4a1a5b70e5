package dev.ivr.server.api;

import dev.ivr.server.net.Cidr;
import dev.ivr.server.config.HttpConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.net.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP server (Vert.x): {@code /health} (open: the status of each component; with a token of role monitor,
 * supervisor or admin also the details), {@code /metrics} (Prometheus text; same roles), and the routes
 * features add ({@link HttpRoutes}).
 *
 * <p>Guards: HTTPS only when a certificate is configured (plain HTTP on that port is refused; an optional
 * second port redirects browsers); a connection cap; idle connections closed after {@code http.idle-timeout};
 * a request head that does not arrive within {@code http.header-timeout} closes its connection; request bodies
 * under {@code /api} limited to {@value #MAX_BODY} bytes.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The largest request body any API route takes (users, sign-in, agent state are a few hundred bytes). */
    static final int MAX_BODY = 64 * 1024;
    private static final Set<String> HEALTH_DETAIL_ROLES = Set.of("monitor", "supervisor");

    private final HttpServer server;
    private final HttpServer redirect;
    private final List<String> apiRoutes;
    private final Guards guards;

    private HttpApi(HttpServer server, HttpServer redirect, List<String> apiRoutes, Guards guards) {
        this.server = server;
        this.redirect = redirect;
        this.apiRoutes = apiRoutes;
        this.guards = guards;
    }

    public static HttpApi start(Vertx vertx, HttpConfig config, Auth auth, HealthRegistry health, Metrics metrics,
                                List<HttpRoutes> features) {
        Router router = Router.router(vertx);
        HttpErrors.install(router);
        router.route().handler(ClientAddress.resolver(Cidr.parseAll(config.trustedProxies())));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false));
        router.get("/health").blockingHandler(ctx -> health(ctx, auth, health), false);
        router.get("/metrics").handler(auth.require("monitor", "supervisor"));
        router.get("/metrics").blockingHandler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()), false);
        for (HttpRoutes f : features) {
            f.mount(router, auth);
        }
        HttpServerOptions options = new HttpServerOptions()
                // no clear-text HTTP/2: a connection is then set up (and counted) as it opens, not at its first bytes
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.max(1, config.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16 * 1024);
        if (config.tls().enabled()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tls().certFile()).setKeyPath(config.tls().keyFile()))
                    .setSslHandshakeTimeout(config.headerTimeout().toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        } else if (!isLoopback(config.bind())) {
            LOG.warn("HTTP on {} without TLS: passwords, tokens and customer data cross the network in clear;"
                    + " set http.tls.cert-file and key-file, or keep this network protected (docs/security.md)", config.bind());
        }
        Guards guards = new Guards(vertx, config.maxConnections(), config.headerTimeout().toMillis());
        HttpServer s;
        try {
            s = guards.install(vertx.createHttpServer(options), router)
                    .listen(config.port(), config.bind())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for HTTP" + (config.tls().enabled() ? "S" : "") + " on "
                    + config.bind() + ":" + config.port() + ": " + rootMessage(e), e);
        }
        HttpServer r = null;
        if (config.tls().enabled() && config.tls().redirectPort() >= 0) {
            r = startRedirect(vertx, config, s.actualPort());
        }
        LOG.info("HTTP{} listening on {}:{}{}", config.tls().enabled() ? "S" : "", config.bind(), s.actualPort(),
                r == null ? "" : " (plain HTTP on " + r.actualPort() + " redirects to it)");
        return new HttpApi(s, r, apiRoutes(router), guards);
    }

    /** Status for everyone; the components' details only for a token with a monitoring role. */
    private static void health(RoutingContext ctx, Auth auth, HealthRegistry health) {
        boolean details = auth.resolve(Auth.bearer(ctx)).filter(p -> p.hasAnyRole(HEALTH_DETAIL_ROLES)).isPresent();
        HealthRegistry.Report r = health.report();
        JsonObject comps = new JsonObject();
        for (Map.Entry<String, Health> e : r.components().entrySet()) {
            JsonObject c = new JsonObject().put("status", e.getValue().status().name());
            if (details) {
                c.put("detail", e.getValue().detail());
            }
            comps.put(e.getKey(), c);
        }
        JsonObject body = new JsonObject().put("status", r.status().name()).put("components", comps);
        ctx.response().setStatusCode(r.httpStatus()).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }

    /**
     * The host the browser asked for (Vert.x keeps an IPv6 literal's brackets), else the bound address, with the HTTPS
     * port.
     */
    static String redirectAuthority(HostAndPort asked, String bind, int httpsPort) {
        if (asked != null) {
            try {
                return HostPort.format(asked.host(), httpsPort);
            } catch (IllegalArgumentException e) {
                // a host text Guava does not take (an IPvFuture literal): the bound address
            }
        }
        return HostPort.format(bind, httpsPort);
    }

    /** A plain-HTTP port that only sends browsers to HTTPS; it reads no body and serves nothing. */
    private static HttpServer startRedirect(Vertx vertx, HttpConfig config, int httpsPort) {
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false).setIdleTimeout(10).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(8192).setMaxHeaderSize(16 * 1024);
        Guards guards = new Guards(vertx, config.maxConnections(), config.headerTimeout().toMillis());
        try {
            return guards.install(vertx.createHttpServer(options), req -> {
                String target = "https://" + redirectAuthority(req.authority(), config.bind(), httpsPort) + req.uri();
                boolean safe = req.method().name().equals("GET") || req.method().name().equals("HEAD");
                req.response().setStatusCode(safe ? 308 : 403).putHeader("Location", target)
                        .putHeader("Content-Type", "text/plain")
                        .end(safe ? "This server speaks HTTPS: " + target + "\n"
                                : "Plain HTTP is refused; use HTTPS (a token sent here has crossed the network in clear).\n");
            }).listen(config.tls().redirectPort(), config.bind()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for the HTTPS redirect on " + config.bind() + ":"
                    + config.tls().redirectPort() + ": " + rootMessage(e), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The plain-HTTP redirect port, or -1 when there is none. */
    public int redirectPort() {
        return redirect == null ? -1 : redirect.actualPort();
    }

    /** HTTP connections open now. */
    public int openConnections() {
        return guards.open.get();
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
        for (HttpServer s : redirect == null ? List.of(server) : List.of(redirect, server)) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("HTTP close: {}", e.toString());
            }
        }
    }

    private static boolean isLoopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * The connection cap and the request-head deadline of one server: a connection over the cap is closed as it
     * arrives; a connection whose next request head has not arrived within the deadline (from its opening, or
     * from the previous answer) is closed.
     */
    private static final class Guards {
        private final Vertx vertx;
        private final int max;
        private final long headerMillis;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicLong refusedSinceLog = new AtomicLong();
        private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();

        Guards(Vertx vertx, int max, long headerMillis) {
            this.vertx = vertx;
            this.max = max;
            this.headerMillis = headerMillis;
        }

        HttpServer install(HttpServer server, io.vertx.core.Handler<HttpServerRequest> requests) {
            return server.connectionHandler(this::connected).requestHandler(req -> {
                HttpConnection c = req.connection();
                cancel(c);
                if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                    req.response().endHandler(v -> await(c));
                }
                requests.handle(req);
            });
        }

        private void connected(HttpConnection c) {
            int n = open.incrementAndGet();
            c.closeHandler(v -> {
                open.decrementAndGet();
                cancel(c);
            });
            if (n > max) {
                if (refusedSinceLog.getAndIncrement() % 1000 == 0) {
                    LOG.warn("HTTP connection from {} refused: {} open (http.max-connections {})", c.remoteAddress(), n - 1, max);
                }
                c.close();
                return;
            }
            await(c);
        }

        private void await(HttpConnection c) {
            long timer = vertx.setTimer(headerMillis, id -> {
                if (deadlines.remove(c, id)) {
                    c.close();
                }
            });
            Long previous = deadlines.put(c, timer);
            if (previous != null) {
                vertx.cancelTimer(previous);
            }
        }

        private void cancel(HttpConnection c) {
            Long timer = deadlines.remove(c);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
