package dev.ivr.server.desk.live;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.sessions.Session;
import dev.ivr.server.desk.sessions.Sessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Locale;

/**
 * The WebSocket connections of the desktops and dashboards connected to THIS server, and what
 * they are sent:
 * <ul>
 *   <li>agents: their own screen pops ({@link DeskMessage}s from the cluster topic
 *       {@value TopicScreenPops#TOPIC}, whichever server published them) and their own state
 *       changes; on connect, their current state and the context of the call they hold;</li>
 *   <li>supervisors: a dashboard snapshot (queues, agents, IVR exits) on connect, then again
 *       after any change, at most once per dashboard interval, and every few seconds anyway.</li>
 * </ul>
 * Cluster listeners run on Hazelcast threads and only hand over; cluster reads run on worker
 * threads; sockets are written on their own event loop. A connection whose session ended
 * (signed out, expired) is told so and closed.
 */
public final class DeskHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeskHub.class);
    /** A dashboard is refreshed at least this often even when nothing changed (wait times grow). */
    static final long REFRESH_MILLIS = 5_000;
    /** WebSocket close code: the session ended (4000-4999 are for applications). */
    public static final short SESSION_ENDED = 4401;

    private final Vertx vertx;
    private final Sessions sessions;
    private final RoutingService routing;
    private final CallContexts contexts;
    private final IvrExits exits;
    private final TopicScreenPops pops;
    private final String nodeName;
    private final java.util.function.Function<String, Counter> delivered;

    private final Set<Conn> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Conn>> byAgent = new ConcurrentHashMap<>();
    private final Set<Conn> supervisors = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean building = new AtomicBoolean();
    private volatile long lastBuilt;

    private UUID popRegistration;
    private RoutingService.Subscription routingSubscription;
    private UUID exitsRegistration;
    private UUID sessionsRegistration;
    private long dashboardTimer = -1;
    private long keepaliveTimer = -1;

    private static final class Conn {
        final ServerWebSocket ws;
        final Context context;
        final String sessionKey;
        final Session session;
        final AtomicBoolean ending = new AtomicBoolean();

        Conn(ServerWebSocket ws, Context context, String sessionKey, Session session) {
            this.ws = ws;
            this.context = context;
            this.sessionKey = sessionKey;
            this.session = session;
        }

        boolean supervisor() {
            return session.roles().contains("supervisor") || session.roles().contains("admin");
        }

        /** Sends on the socket's own event loop; {@code droppable} messages are skipped for a slow reader. */
        void send(JsonObject message, boolean droppable) {
            String text = message.encode();
            context.runOnContext(v -> {
                if (ws.isClosed() || droppable && ws.writeQueueFull()) {
                    return;
                }
                ws.writeTextMessage(text);
            });
        }
    }

    public DeskHub(Vertx vertx, Sessions sessions, RoutingService routing, CallContexts contexts, IvrExits exits,
                   TopicScreenPops pops, String nodeName, MeterRegistry metrics) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.routing = routing;
        this.contexts = contexts;
        this.exits = exits;
        this.pops = pops;
        this.nodeName = nodeName;
        Gauge.builder("ivr.desk.websockets", connections, Set::size)
                .description("WebSocket connections of desktops and dashboards on this server").register(metrics);
        this.delivered = kind -> Counter.builder("ivr.desk.screen.pops").tag("kind", kind)
                .description("Desk messages (offered, connected, ended) delivered to desktops on this server").register(metrics);
    }

    /** Subscribes to the cluster and starts the timers. */
    public DeskHub start(Duration dashboardInterval, Duration sessionIdleTimeout) {
        popRegistration = pops.subscribe(this::onDesk);
        routingSubscription = routing.subscribe(this::onRouting);
        exitsRegistration = exits.listen(() -> dirty.set(true));
        sessionsRegistration = sessions.onEnd(this::sessionEnded);
        dashboardTimer = vertx.setPeriodic(dashboardInterval.toMillis(), id -> refreshDashboards());
        long keepalive = Math.max(1_000, Math.min(60_000, sessionIdleTimeout.toMillis() / 3));
        keepaliveTimer = vertx.setPeriodic(keepalive, id -> keepalive());
        return this;
    }

    // ---------------------------------------------------------------- connecting

    /**
     * {@code GET /api/ws?ticket=T}: redeems the one-time ticket (on a worker thread, the request
     * paused meanwhile), then upgrades to a WebSocket; 401 without a valid ticket.
     */
    public void upgrade(RoutingContext ctx) {
        String ticket = ctx.request().getParam("ticket");
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"a WebSocket upgrade is expected here\"}");
            return;
        }
        ctx.request().pause();
        vertx.executeBlocking(() -> sessions.redeem(ticket), false).onComplete(ar -> {
            Optional<Sessions.Ref> ref = ar.succeeded() ? ar.result() : Optional.empty();
            if (ar.failed()) {
                LOG.warn("WebSocket ticket lookup failed: {}", ar.cause().toString());
            }
            if (ref.isEmpty()) {
                ctx.request().resume();
                ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"a valid WebSocket ticket is required (POST /api/ws-ticket)\"}");
                return;
            }
            Context context = vertx.getOrCreateContext();
            ctx.request().toWebSocket().onSuccess(ws -> attach(ws, context, ref.get()))
                    .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.toString()));
        });
    }

    private void attach(ServerWebSocket ws, Context context, Sessions.Ref ref) {
        Session s = ref.session();
        Conn c = new Conn(ws, context, ref.key(), s);
        connections.add(c);
        if (s.agentId() != null) {
            byAgent.computeIfAbsent(s.agentId(), k -> ConcurrentHashMap.newKeySet()).add(c);
        }
        if (c.supervisor()) {
            supervisors.add(c);
        }
        ws.closeHandler(v -> detach(c));
        ws.exceptionHandler(e -> LOG.debug("WebSocket of {}: {}", s.userId(), e.toString()));
        ws.textMessageHandler(text -> onClientMessage(c, text));
        LOG.info("desktop connected: user '{}' ({} connection(s) on this server)", s.userId(), connections.size());
        c.send(new JsonObject().put("type", "hello").put("user", s.userId()).put("name", s.name())
                .put("roles", new JsonArray(s.roles().stream().sorted().toList())).put("agentId", s.agentId())
                .put("node", nodeName), false);
        if (s.agentId() != null) {
            vertx.executeBlocking(() -> agentSnapshot(s), false)
                    .onSuccess(messages -> messages.forEach(m -> c.send(m, false)))
                    .onFailure(e -> LOG.warn("agent snapshot for {} failed: {}", s.agentId(), e.toString()));
        }
        if (c.supervisor()) {
            vertx.executeBlocking(this::dashboard, false).onSuccess(d -> c.send(d, false))
                    .onFailure(e -> LOG.warn("dashboard snapshot failed: {}", e.toString()));
        }
    }

    private void detach(Conn c) {
        if (!connections.remove(c)) {
            return;
        }
        supervisors.remove(c);
        if (c.session.agentId() != null) {
            byAgent.computeIfPresent(c.session.agentId(), (k, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        LOG.info("desktop disconnected: user '{}'", c.session.userId());
    }

    private void onClientMessage(Conn c, String text) {
        if (text.length() < 200 && text.contains("\"ping\"")) {
            c.send(new JsonObject().put("type", "pong").put("at", Instant.now().toString()), true);
        } else if (text.length() < 200 && text.contains("\"resume\"") && c.session.agentId() != null) {
            resume(c, text);
        }
    }

    /**
     * {@code {"type":"resume","since":N}}: the desktop saw the agent's desk messages up to N (it reconnected, or
     * found a gap). It gets the ones it missed, in order, or, when more was missed than the cluster keeps, a fresh
     * snapshot with {@code {"type":"resync","seq":M}}.
     */
    private void resume(Conn c, String text) {
        long since;
        try {
            since = new JsonObject(text).getLong("since", -1L);
        } catch (RuntimeException e) {
            since = -1;
        }
        if (since < 0) {
            return;
        }
        long from = since;
        String agentId = c.session.agentId();
        vertx.executeBlocking(() -> {
            Optional<java.util.List<DeskMessage>> missed = pops.since(agentId, from);
            java.util.List<JsonObject> out = new java.util.ArrayList<>();
            if (missed.isPresent()) {
                missed.get().forEach(m -> out.add(DeskJson.desk(m).put("replay", true)));
            } else {
                long seq = pops.lastSeq(agentId);
                out.addAll(agentSnapshot(c.session));
                out.add(new JsonObject().put("type", "resync").put("seq", seq));
            }
            return out;
        }, false).onSuccess(messages -> messages.forEach(m -> c.send(m, false)))
                .onFailure(e -> LOG.warn("desk messages of {} not replayed: {}", agentId, e.toString()));
    }

    /** The agent's state and, when they hold a call, its context (a desktop reconnecting mid-call). */
    private java.util.List<JsonObject> agentSnapshot(Session s) {
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        long seq = pops.lastSeq(s.agentId()); // read first: whatever comes after it is delivered or replayed
        Optional<Agent> agent = routing.agent(s.agentId());
        out.add(new JsonObject().put("type", "agent").put("agent",
                agent.map(DeskJson::agent).orElseGet(() -> DeskJson.loggedOut(s.agentId(), s.name())))
                .put("seq", seq));
        if (agent.isPresent() && agent.get().callId() != null) {
            Agent a = agent.get();
            Optional<CallContext> ctx = contexts.get(a.callId());
            String type = switch (a.state()) {
                case RESERVED -> "offered";
                case ON_CALL -> "connected";
                default -> "ended";
            };
            JsonObject m = new JsonObject().put("type", type).put("agentId", a.id()).put("callId", a.callId());
            ctx.ifPresent(x -> m.put("context", DeskJson.context(x)));
            out.add(m);
        }
        return out;
    }

    // ---------------------------------------------------------------- cluster events (Hazelcast threads)

    private void onDesk(DeskMessage m) {
        Set<Conn> conns = byAgent.get(m.agentId());
        if (conns == null || conns.isEmpty()) {
            return; // the agent's desktop is connected to another server, or not at all
        }
        JsonObject json = DeskJson.desk(m);
        conns.forEach(c -> c.send(json, false));
        delivered.apply(m.kind().name().toLowerCase(Locale.ROOT)).increment();
        LOG.debug("{} of call {} sent to {} desktop(s) of {}", m.kind(), m.callId(), conns.size(), m.agentId());
    }

    private void onRouting(RoutingEvent e) {
        dirty.set(true);
        if (e instanceof RoutingEvent.AgentStateChanged change) {
            Set<Conn> conns = byAgent.get(change.agentId());
            if (conns != null && !conns.isEmpty()) {
                JsonObject json = new JsonObject().put("type", "state").put("agent", DeskJson.stateChange(change));
                conns.forEach(c -> c.send(json, false));
            }
        }
    }

    // ---------------------------------------------------------------- dashboards

    private void refreshDashboards() {
        if (supervisors.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (!dirty.get() && now - lastBuilt < REFRESH_MILLIS) {
            return;
        }
        if (!building.compareAndSet(false, true)) {
            return; // the previous snapshot is still being built (a slow cluster): skip a beat
        }
        dirty.set(false);
        lastBuilt = now;
        vertx.executeBlocking(this::dashboard, false).onComplete(ar -> {
            building.set(false);
            if (ar.succeeded()) {
                supervisors.forEach(c -> c.send(ar.result(), true));
            } else {
                dirty.set(true);
                LOG.warn("dashboard snapshot failed: {}", ar.cause().toString());
            }
        });
    }

    /** The supervisor dashboard: queues, agents, agents by state and IVR exits, read from the cluster. */
    public JsonObject dashboard() {
        JsonArray queues = new JsonArray();
        routing.queues().forEach(q -> queues.add(DeskJson.queue(q)));
        JsonArray agents = new JsonArray();
        Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
        routing.agents().stream()
                .sorted(java.util.Comparator.comparing(Agent::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Agent::id))
                .forEach(a -> {
                    agents.add(DeskJson.agent(a));
                    byState.merge(a.state(), 1, Integer::sum);
                });
        JsonObject states = new JsonObject();
        for (AgentState s : AgentState.values()) {
            states.put(s.name(), byState.getOrDefault(s, 0));
        }
        return new JsonObject().put("type", "dashboard").put("at", Instant.now().toString()).put("node", nodeName)
                .put("queues", queues).put("agents", agents).put("agentsByState", states)
                .put("exits", DeskJson.exits(exits.snapshot()));
    }

    // ---------------------------------------------------------------- sessions

    /** Keeps the sessions of open connections alive (sliding expiry); closes any whose end was missed. */
    private void keepalive() {
        for (Conn c : connections) {
            c.context.runOnContext(v -> {
                if (!c.ws.isClosed()) {
                    c.ws.writePing(Buffer.buffer("k"));
                }
            });
            vertx.executeBlocking(() -> sessions.touch(c.sessionKey).isPresent(), false).onSuccess(alive -> {
                if (!alive) {
                    endSession(c);
                }
            });
        }
    }

    /**
     * Tells this server's connections of a session that it ended and closes them (signed out,
     * expired, user changed): called for sessions ending anywhere in the cluster.
     */
    private void sessionEnded(String sessionKey) {
        connections.stream().filter(c -> c.sessionKey.equals(sessionKey)).forEach(this::endSession);
    }

    private void endSession(Conn c) {
        if (!c.ending.compareAndSet(false, true)) {
            return;
        }
        c.send(new JsonObject().put("type", "session-ended"), false);
        c.context.runOnContext(v -> c.ws.close(SESSION_ENDED, "session ended"));
    }

    /** Open WebSocket connections on this server. */
    public int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        if (dashboardTimer >= 0) {
            vertx.cancelTimer(dashboardTimer);
        }
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
        }
        try {
            if (popRegistration != null) {
                pops.unsubscribe(popRegistration);
            }
            if (routingSubscription != null) {
                routingSubscription.close();
            }
            if (exitsRegistration != null) {
                exits.unlisten(exitsRegistration);
            }
            if (sessionsRegistration != null) {
                sessions.removeListener(sessionsRegistration);
            }
        } catch (RuntimeException e) {
            LOG.debug("desk hub: {}", e.toString()); // the cluster may be gone already
        }
        for (Conn c : connections) {
            c.context.runOnContext(v -> c.ws.close((short) 1001, "server stopping"));
        }
        connections.clear();
        byAgent.clear();
        supervisors.clear();
    }
}
