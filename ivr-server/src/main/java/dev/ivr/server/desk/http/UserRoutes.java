package dev.ivr.server.desk.http;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.desk.live.DeskJson;
import dev.ivr.server.desk.sessions.Sessions;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.desk.users.UserStore;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.noContent;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * Users of the desktop and dashboard (admin only): list, create, read, change, delete. Changing
 * or deleting a user ends their sessions, so new roles or skills apply at their next sign-in;
 * deleting an agent also logs them out of routing when they hold no call.
 */
public final class UserRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    private final UserStore users;
    private final Sessions sessions;
    private final RoutingService routing;

    public UserRoutes(UserStore users, Sessions sessions, RoutingService routing) {
        this.users = users;
        this.sessions = sessions;
        this.routing = routing;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> admin = auth.require("admin");
        router.get("/api/users").handler(admin).blockingHandler(guarded(this::list), false);
        router.post("/api/users").handler(admin).blockingHandler(guarded(this::create), false);
        router.get("/api/users/:id").handler(admin).blockingHandler(guarded(this::read), false);
        router.patch("/api/users/:id").handler(admin).blockingHandler(guarded(this::update), false);
        router.delete("/api/users/:id").handler(admin).blockingHandler(guarded(this::delete), false);
    }

    private void list(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        users.list().forEach(u -> list.add(DeskJson.user(u)));
        ok(ctx, new JsonObject().put("users", list));
    }

    private void read(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        users.find(id).ifPresentOrElse(u -> ok(ctx, DeskJson.user(u)), () -> error(ctx, 404, "no user '" + id + "'"));
    }

    private void create(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        UserSpec spec = spec(b, b.getValue("id") instanceof String s ? s : null);
        User u = users.create(spec);
        LOG.info("user '{}' created by {}", u.id(), DeskRoutes.principal(ctx).name());
        ctx.response().putHeader("Location", "/api/users/" + u.id());
        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(DeskJson.user(u).encodePrettily());
    }

    private void update(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String id = ctx.pathParam("id");
        User u = users.update(id, spec(b, id));
        endSessions(id);
        LOG.info("user '{}' changed by {}", id, DeskRoutes.principal(ctx).name());
        ok(ctx, DeskJson.user(u));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!users.delete(id)) {
            error(ctx, 404, "no user '" + id + "'");
            return;
        }
        endSessions(id);
        routing.agent(id).filter(a -> a.state() != AgentState.LOGGED_OUT && !a.state().isBusy()).ifPresent(a -> {
            try {
                routing.logout(id);
            } catch (RoutingException e) {
                LOG.info("deleted agent '{}' stays logged in: {}", id, e.getMessage());
            }
        });
        LOG.info("user '{}' deleted by {}", id, DeskRoutes.principal(ctx).name());
        noContent(ctx);
    }

    private void endSessions(String userId) {
        sessions.closeAll(userId); // their open desktops are told by the hub, on every server
    }

    /** The body as a spec; fields of the wrong type are reported as problems by {@link IllegalArgumentException}. */
    static UserSpec spec(JsonObject b, String id) {
        return new UserSpec(id, string(b, "name"), strings(b, "roles"), string(b, "endpoint"), skills(b),
                strings(b, "languages"), b.getValue("enabled") == null ? null : bool(b), string(b, "password"));
    }

    private static String string(JsonObject b, String key) {
        Object v = b.getValue(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException(key + ": must be a string");
    }

    private static Boolean bool(JsonObject b) {
        if (b.getValue("enabled") instanceof Boolean x) {
            return x;
        }
        throw new IllegalArgumentException("enabled: must be true or false");
    }

    private static Set<String> strings(JsonObject b, String key) {
        Object v = b.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonArray list)) {
            throw new IllegalArgumentException(key + ": must be a list of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(key + ": must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static Map<String, Integer> skills(JsonObject b) {
        Object v = b.getValue("skills");
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw new IllegalArgumentException("skills: must be an object of skill name to level 1-10, e.g. {\"billing\": 7}");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String k : o.fieldNames()) {
            if (!(o.getValue(k) instanceof Number n) || n.doubleValue() != n.intValue()) {
                throw new IllegalArgumentException("skills." + k + ": level must be a whole number 1-10");
            }
            out.put(k, n.intValue());
        }
        return out;
    }
}
