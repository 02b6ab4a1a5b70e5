package dev.ivr.server.desk.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The web pages (plain HTML, CSS and JavaScript from the class path's {@code webroot/}, no build
 * step) and the API's OpenAPI document:
 * <ul>
 *   <li>{@code /agent/}: the agent desktop; {@code /supervisor/}: the supervisor dashboard;
 *       {@code /assets/}: what both share; {@code /} goes to the desktop;</li>
 *   <li>{@code GET /api/openapi.yaml}: the OpenAPI 3 description of every {@code /api} route.</li>
 * </ul>
 * Pages are public (they hold no data: everything comes from the API with a session token kept in
 * the tab's session storage) and sent with a strict Content-Security-Policy: scripts and styles
 * only from this server, no inline script, no framing.
 */
public final class Pages implements HttpRoutes {
    static final String OPENAPI = "dev/ivr/server/desk/http/openapi.yaml";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self' blob:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final String openApi;

    public Pages() {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + OPENAPI);
            }
            this.openApi = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.get("/api/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").end(openApi));
        router.get("/").handler(redirect("/agent/"));
        router.get("/agent").handler(redirect("/agent/"));
        router.get("/supervisor").handler(redirect("/supervisor/"));
        router.get("/reports").handler(redirect("/reports/"));
        for (String dir : new String[]{"agent", "supervisor", "reports", "assets"}) {
            router.get("/" + dir + "/*").handler(Pages::securityHeaders)
                    .handler(StaticHandler.create("webroot/" + dir).setCachingEnabled(false).setDirectoryListing(false)
                            .setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
        }
    }

    /** Redirects the exact path (Vert.x matches "/agent" for "/agent/" too: those go on to the files). */
    private static Handler<RoutingContext> redirect(String to) {
        return ctx -> {
            if (ctx.request().path().equals(to)) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(302).putHeader("Location", to).end();
        };
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cache-Control", "no-cache");
        ctx.next();
    }
}
