package dev.ivr.server.desk.http;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.ClientAddress;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.Principal;
import dev.ivr.server.config.DeskConfig;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.live.DeskHub;
import dev.ivr.server.desk.live.DeskJson;
import dev.ivr.server.desk.sessions.Session;
import dev.ivr.server.desk.sessions.Sessions;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.desk.users.UserException;
import dev.ivr.server.desk.users.UserStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.noContent;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * The agent desktop and supervisor API (documented in {@code openapi.yaml}, served at
 * {@code /api/openapi.yaml}): sign-in sessions, agent state, queues, agents, IVR exits, call
 * contexts and the WebSocket. Roles: an agent acts only on their own agent id (403 otherwise);
 * supervisors read everything and may log an agent out; admin may do anything. Everything that
 * touches the cluster or the database runs on worker threads.
 */
public final class DeskRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DeskRoutes.class);
    static final String[] SIGNED_IN = {"agent", "supervisor", "monitor"};
    /** Longer ids or passwords are refused before anything is counted, hashed or stored. */
    static final int MAX_ID = 64;
    static final int MAX_PASSWORD = dev.ivr.server.desk.users.UserSpec.MAX_PASSWORD;

    private final Sessions sessions;
    private final UserStore users;
    private final RoutingService routing;
    private final CallContexts contexts;
    private final ContextTokens contextTokens;
    private final IvrExits exits;
    private final DeskHub hub;
    private final DeskConfig config;
    private final Function<String, Counter> signIns;

    public DeskRoutes(Sessions sessions, UserStore users, RoutingService routing, CallContexts contexts,
                      ContextTokens contextTokens, IvrExits exits, DeskHub hub, DeskConfig config, MeterRegistry metrics) {
        this.sessions = sessions;
        this.users = users;
        this.routing = routing;
        this.contexts = contexts;
        this.contextTokens = contextTokens;
        this.exits = exits;
        this.hub = hub;
        this.config = config;
        this.signIns = outcome -> Counter.builder("ivr.desk.signins").tag("outcome", outcome)
                .description("Sign-in attempts: ok, refused (wrong id or password), locked (too many wrong passwords"
                        + " from the address), busy (too many password checks at once)")
                .register(metrics);
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> signedIn = auth.require(SIGNED_IN);
        Handler<RoutingContext> agentOrSupervisor = auth.require("agent", "supervisor");
        Handler<RoutingContext> agent = auth.require("agent");
        Handler<RoutingContext> supervisor = auth.require("supervisor");

        // sessions
        router.post("/api/login").blockingHandler(guarded(this::login), false);
        router.post("/api/logout").handler(signedIn).blockingHandler(guarded(this::logout), false);
        router.get("/api/me").handler(signedIn).blockingHandler(guarded(this::me), false);
        router.post("/api/ws-ticket").handler(signedIn).blockingHandler(guarded(this::wsTicket), false);
        router.get("/api/ws").handler(hub::upgrade);

        // an agent's own state (admin: anyone's; supervisors: read, and force a logout)
        router.get("/api/agents/:id").handler(agentOrSupervisor).handler(self(true))
                .blockingHandler(guarded(this::agent), false);
        router.post("/api/agents/:id/login").handler(agent).handler(self(false))
                .blockingHandler(guarded(this::agentLogin), false);
        router.post("/api/agents/:id/ready").handler(agent).handler(self(false))
                .blockingHandler(guarded(state(id -> routing.ready(id), "READY")), false);
        router.post("/api/agents/:id/not-ready").handler(agent).handler(self(false))
                .blockingHandler(guarded(this::notReady), false);
        // wrap-up-done: WrapUpRoutes (it checks the queue's required wrap-up code)
        router.post("/api/agents/:id/logout").handler(agentOrSupervisor).handler(self(true))
                .blockingHandler(guarded(state(id -> routing.logout(id), "LOGGED_OUT")), false);

        // supervisors
        router.get("/api/agents").handler(supervisor).blockingHandler(guarded(this::agents), false);
        router.get("/api/queues").handler(supervisor).blockingHandler(guarded(this::queues), false);
        router.get("/api/queues/:id/calls").handler(supervisor).blockingHandler(guarded(this::waitingCalls), false);
        router.get("/api/ivr/exits").handler(supervisor)
                .blockingHandler(guarded(ctx -> ok(ctx, DeskJson.exits(exits.snapshot()))), false);
        router.get("/api/dashboard").handler(supervisor).blockingHandler(guarded(ctx -> ok(ctx, hub.dashboard())), false);

        // a call's context: an agent's or supervisor's token, or the signed X-IVR-Context value
        router.get("/api/calls/:callId/context").handler(ctx -> {
            String signed = ctx.request().getHeader("X-IVR-Context");
            if (signed != null && Auth.bearer(ctx) == null) {
                Optional<String> callId = contextTokens.verify(signed.strip());
                if (callId.isEmpty() || !callId.get().equals(ctx.pathParam("callId"))) {
                    error(ctx, 401, "the X-IVR-Context value is not valid for this call");
                    return;
                }
                ctx.put("ivr.context-token", true);
                ctx.next();
                return;
            }
            agentOrSupervisor.handle(ctx);
        }).blockingHandler(guarded(this::callContext), false);
    }

    // ---------------------------------------------------------------- sessions

    private void login(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String id = b.getValue("id") instanceof String s ? s.strip() : null;
        String password = b.getValue("password") instanceof String s ? s : null;
        if (id == null || id.isEmpty() || password == null || password.isEmpty()) {
            error(ctx, 400, "give id and password");
            return;
        }
        if (id.length() > MAX_ID || password.length() > MAX_PASSWORD) { // nothing that long is a user: not counted, not stored
            error(ctx, 400, "id must be at most " + MAX_ID + " characters and password at most " + MAX_PASSWORD);
            return;
        }
        String address = ClientAddress.of(ctx);
        Optional<Sessions.Refusal> refused = sessions.attempt(id, address);
        if (refused.isPresent()) {
            signIns.apply("locked").increment();
            LOG.warn("sign-in refused for '{}' from {}: {}", printable(id), address, refused.get() == Sessions.Refusal.ADDRESS
                    ? "too many wrong passwords from this address" : "too many wrong passwords for this id from this address");
            ctx.response().putHeader("Retry-After", Long.toString(sessions.lockout().toSeconds()));
            error(ctx, 429, "too many wrong passwords from this address: try again in "
                    + Math.max(1, sessions.lockout().toMinutes()) + " minute(s)");
            return;
        }
        Optional<User> user;
        try {
            user = users.authenticate(id, password);
        } catch (UserException e) {
            sessions.forgive(id, address); // not checked: does not count
            if (e.kind() == UserException.Kind.BUSY) {
                signIns.apply("busy").increment();
                ctx.response().putHeader("Retry-After", "1");
            }
            throw e;
        }
        if (user.isEmpty()) {
            signIns.apply("refused").increment();
            LOG.info("sign-in refused for '{}' from {}", printable(id), address);
            error(ctx, 401, "wrong user id or password");
            return;
        }
        sessions.succeeded(id, address);
        signIns.apply("ok").increment();
        String token = sessions.open(user.get());
        LOG.info("user '{}' signed in", id);
        ok(ctx, new JsonObject().put("token", token)
                .put("idleTimeoutSeconds", config.sessionIdleTimeout().toSeconds())
                .put("user", me(user.get().id(), user.get().name(), user.get().roles(), user.get().isAgent() ? user.get().id() : null,
                        user.get().isAgent() ? profile(user.get().endpoint(), user.get().skills(), user.get().languages()) : null)));
    }

    private void logout(RoutingContext ctx) {
        String token = Auth.bearer(ctx);
        if (!sessions.close(token)) {
            error(ctx, 400, "this token is not a sign-in session (configured tokens cannot sign out)");
            return;
        }
        LOG.info("user '{}' signed out", principal(ctx).name());
        noContent(ctx);
    }

    private void me(RoutingContext ctx) {
        Principal p = principal(ctx);
        Optional<Session> s = sessions.find(Auth.bearer(ctx));
        JsonObject profile = null;
        String name = p.name();
        if (s.isPresent()) {
            name = s.get().name();
            if (s.get().agentId() != null) {
                profile = profile(s.get().endpoint(), s.get().skills(), s.get().languages());
            }
        } else if (p.agentId() != null) {
            Optional<User> u = users.find(p.agentId());
            if (u.isPresent() && u.get().isAgent()) {
                profile = profile(u.get().endpoint(), u.get().skills(), u.get().languages());
            }
        }
        ok(ctx, me(p.name(), name, p.roles(), p.agentId(), profile));
    }

    private JsonObject me(String id, String name, Set<String> roles, String agentId, JsonObject profile) {
        return new JsonObject().put("id", id).put("name", name)
                .put("roles", new JsonArray(roles.stream().sorted().toList())).put("agentId", agentId)
                .put("profile", profile).put("notReadyReasons", new JsonArray(config.notReadyReasons()));
    }

    private static JsonObject profile(String endpoint, Map<String, Integer> skills, Set<String> languages) {
        JsonObject sk = new JsonObject();
        new java.util.TreeMap<>(skills).forEach(sk::put);
        return new JsonObject().put("endpoint", endpoint).put("skills", sk)
                .put("languages", new JsonArray(languages.stream().sorted().toList()));
    }

    private void wsTicket(RoutingContext ctx) {
        Optional<String> ticket = sessions.ticket(Auth.bearer(ctx));
        if (ticket.isEmpty()) {
            error(ctx, 400, "a WebSocket needs a sign-in session (POST /api/login); configured tokens use the REST API");
            return;
        }
        ok(ctx, new JsonObject().put("ticket", ticket.get()).put("url", "/api/ws?ticket=" + ticket.get()));
    }

    // ---------------------------------------------------------------- agents

    /** Only the agent itself (and admin; with {@code supervisorsToo}, supervisors) may go on. */
    static Handler<RoutingContext> self(boolean supervisorsToo) {
        return ctx -> {
            Principal p = principal(ctx);
            String id = ctx.pathParam("id");
            boolean allowed = p.roles().contains("admin") || id.equals(p.agentId())
                    || supervisorsToo && p.roles().contains("supervisor");
            if (!allowed) {
                error(ctx, 403, "an agent may act only on their own agent id");
                return;
            }
            ctx.next();
        };
    }

    private void agent(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Optional<Agent> a = routing.agent(id);
        if (a.isPresent()) {
            ok(ctx, DeskJson.agent(a.get()));
        } else if (id.equals(principal(ctx).agentId())) {
            ok(ctx, DeskJson.loggedOut(id, principal(ctx).name()));
        } else {
            error(ctx, 404, "no agent '" + id + "' has logged in");
        }
    }

    private void agentLogin(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String id = ctx.pathParam("id");
        Optional<Session> s = sessions.find(Auth.bearer(ctx)).filter(x -> id.equals(x.agentId()));
        String name;
        String endpoint;
        Map<String, Integer> skills;
        Set<String> languages;
        if (s.isPresent()) {
            name = s.get().name();
            endpoint = s.get().endpoint();
            skills = s.get().skills();
            languages = s.get().languages();
        } else {
            Optional<User> u = users.find(id).filter(User::isAgent);
            if (u.isEmpty()) {
                error(ctx, 409, "no agent profile for '" + id + "': an admin creates the user with the agent role"
                        + " (POST /api/users, or ivr-server users add)");
                return;
            }
            name = u.get().name();
            endpoint = u.get().endpoint();
            skills = u.get().skills();
            languages = u.get().languages();
        }
        Map<String, Integer> chosen = new LinkedHashMap<>();
        Object requested = b.getValue("skills");
        if (requested == null) {
            chosen.putAll(skills);
        } else if (requested instanceof JsonArray list) {
            for (Object o : list) {
                if (!(o instanceof String skill) || !skills.containsKey(skill)) {
                    error(ctx, 400, "skill " + o + " is not in your profile; yours: " + String.join(", ", new java.util.TreeSet<>(skills.keySet())));
                    return;
                }
                chosen.put(skill, skills.get(skill));
            }
            if (chosen.isEmpty() && !skills.isEmpty()) {
                error(ctx, 400, "choose at least one skill");
                return;
            }
        } else {
            error(ctx, 400, "skills must be a list of skill names from your profile");
            return;
        }
        Agent a = routing.login(new AgentProfile(id, name, endpoint, chosen, languages));
        LOG.info("agent '{}' logged in at {} with skills {} (by {})", id, endpoint, chosen, principal(ctx).name());
        ok(ctx, DeskJson.agent(a));
    }

    private void notReady(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String reason = b.getValue("reason") instanceof String r ? r : null;
        if (reason == null || !config.notReadyReasons().contains(reason)) {
            error(ctx, 400, "reason must be one of: " + String.join(", ", config.notReadyReasons()));
            return;
        }
        state(id -> routing.notReady(id, reason), "NOT_READY (" + reason + ")").handle(ctx);
    }

    private Handler<RoutingContext> state(Function<String, Agent> change, String what) {
        return ctx -> {
            String id = ctx.pathParam("id");
            Agent a = change.apply(id);
            LOG.info("agent '{}': {} (by {})", id, what, principal(ctx).name());
            ok(ctx, DeskJson.agent(a));
        };
    }

    private void agents(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        routing.agents().stream().sorted(java.util.Comparator.comparing(Agent::id)).forEach(a -> list.add(DeskJson.agent(a)));
        ok(ctx, new JsonObject().put("agents", list));
    }

    private void queues(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        routing.queues().forEach(q -> list.add(DeskJson.queue(q)));
        ok(ctx, new JsonObject().put("queues", list));
    }

    private void waitingCalls(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        routing.waitingCalls(ctx.pathParam("id")).forEach(c -> list.add(DeskJson.waitingCall(c)));
        ok(ctx, new JsonObject().put("queue", ctx.pathParam("id")).put("calls", list));
    }

    private void callContext(RoutingContext ctx) {
        String callId = ctx.pathParam("callId");
        Principal p = ctx.get(Auth.PRINCIPAL);
        // another agent's call answers exactly as a call that does not exist: no way to learn which call ids exist
        Optional<CallContext> c = contexts.get(callId).filter(context -> p == null || p.hasAnyRole(Set.of("supervisor"))
                || java.util.Objects.equals(p.agentId(), context.agentId()));
        if (c.isEmpty()) {
            error(ctx, 404, "no context for call '" + printable(callId) + "' that you may read (unknown, expired, or not offered to you)");
            return;
        }
        ok(ctx, DeskJson.context(c.get()));
    }

    // ---------------------------------------------------------------- helpers

    static Principal principal(RoutingContext ctx) {
        return ctx.get(Auth.PRINCIPAL);
    }

    /** Maps refusals of the router and the user store to HTTP statuses. */
    static Handler<RoutingContext> guarded(Handler<RoutingContext> h) {
        return HttpErrors.guarded(h, DeskRoutes::httpError);
    }

    /** The desk's domain errors as statuses (routing, users, bad arguments); anything else is a 500 of {@link HttpErrors}. */
    static HttpErrors.HttpError httpError(RuntimeException e) {
        if (e instanceof RoutingException r) {
            int status = switch (r.reason()) {
                case UNKNOWN_AGENT, UNKNOWN_QUEUE, UNKNOWN_CALL -> 404;
                default -> 409;
            };
            return new HttpErrors.HttpError(status, e.getMessage());
        }
        if (e instanceof UserException u) {
            int status = switch (u.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case EXISTS -> 409;
                case UNAVAILABLE, BUSY -> 503;
            };
            return new HttpErrors.HttpError(status, e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new HttpErrors.HttpError(400, e.getMessage());
        }
        return null;
    }

    /** A user-supplied id fit for a log line (no control characters, bounded). */
    static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 64 ? t.substring(0, 64) + "..." : t;
    }
}
