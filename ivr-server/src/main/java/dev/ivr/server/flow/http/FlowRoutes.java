package dev.ivr.server.flow.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.flow.FlowRepository;
import dev.ivr.server.flow.FlowStatus;
import dev.ivr.server.flow.yaml.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * {@code GET /api/flows} (supervisor, admin): every flow with the version served, its state,
 * its problems (file:line:column) and when it was loaded. {@code POST /api/flows/{name}/reload}
 * (admin): reads the files again now; answers the flow's status (409 when its file is refused).
 */
public final class FlowRoutes implements HttpRoutes {
    private final FlowRepository flows;

    public FlowRoutes(FlowRepository flows) {
        this.flows = flows;
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.get("/api/flows").handler(auth.require("supervisor"));
        router.get("/api/flows").blockingHandler(ctx -> {
            JsonArray list = new JsonArray();
            flows.statuses().forEach(s -> list.add(json(s)));
            JsonArray global = new JsonArray();
            flows.globalProblems().forEach(p -> global.add(p.toString()));
            send(ctx, 200, new JsonObject().put("flows", list).put("problems", global));
        }, false);
        router.post("/api/flows/:name/reload").handler(auth.require("admin"));
        router.post("/api/flows/:name/reload").blockingHandler(ctx -> {
            String name = ctx.pathParam("name");
            List<FlowStatus> after = flows.reload();
            Optional<FlowStatus> s = after.stream().filter(x -> x.name().equals(name)).findFirst();
            if (s.isEmpty()) {
                HttpErrors.send(ctx, 404, "no flow file named '" + name + "'");
                return;
            }
            send(ctx, "ok".equals(s.get().state()) ? 200 : 409, json(s.get()));
        }, false);
    }

    static JsonObject json(FlowStatus s) {
        JsonArray problems = new JsonArray();
        for (Problem p : s.problems()) {
            problems.add(new JsonObject().put("file", p.file().toString()).put("line", p.line()).put("column", p.column())
                    .put("severity", p.severity().name().toLowerCase(Locale.ROOT)).put("message", p.message()).put("text", p.toString()));
        }
        return new JsonObject()
                .put("name", s.name())
                .put("version", s.version())
                .put("status", s.state())
                .put("fileVersion", s.fileVersion())
                .put("loadedAt", s.loadedAt() == null ? null : s.loadedAt().toString())
                .put("lastError", s.lastError())
                .put("problems", problems);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encodePrettily());
    }
}
