package dev.ivr.server.desk;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.SessionResolver;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.config.DeskConfig;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.call.Supervision;
import dev.ivr.server.desk.http.SupervisorRoutes;
import dev.ivr.server.callcontext.Transfers;
import dev.ivr.server.desk.http.TransferRoutes;
import dev.ivr.server.crm.WrapUps;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.http.DeskRoutes;
import dev.ivr.server.desk.http.Pages;
import dev.ivr.server.desk.http.UserRoutes;
import dev.ivr.server.desk.http.QueueSettingsRoutes;
import dev.ivr.server.desk.http.WrapUpRoutes;
import dev.ivr.server.routing.LiveQueues;
import dev.ivr.server.desk.wrapup.WrapUpPolicy;
import dev.ivr.server.desk.live.DeskHub;
import dev.ivr.server.desk.sessions.Sessions;
import dev.ivr.server.desk.users.PasswordHasher;
import dev.ivr.server.desk.users.UserStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The agent desktop and supervisor side of a server, put together: users (database), sessions
 * (cluster), the WebSocket hub, the REST routes and the pages. The server gives it its Vert.x,
 * cluster member, database, router and IVR exit counters, mounts {@link #routes()} and lets
 * {@link #sessions()} resolve bearer tokens.
 */
public final class Desk implements AutoCloseable {
    /** How long this server keeps a call context it reads: it only reads them (the routing side stores them). */
    private static final Duration CONTEXT_TTL = Duration.ofHours(1);

    private final Sessions sessions;
    private final UserStore users;
    private final DeskHub hub;
    private final List<HttpRoutes> routes;

    private Desk(Sessions sessions, UserStore users, DeskHub hub, List<HttpRoutes> routes) {
        this.sessions = sessions;
        this.users = users;
        this.hub = hub;
        this.routes = routes;
    }

    /**
     * @param db              the HTTP side's connections (never the calls' pool)
     * @param routingConfig   the configured queues (their wrap-up codes and times) and transfer settings
     * @param wrapUps         where agents' wrap-ups are kept
     * @param transferLog     where agents' transfers are logged for the contact history
     * @param legs            ends an agent's leg when the agent transfers the call
     * @param supervision     rings a supervisor's phone into an agent's call
     * @param httpIdleTimeout open desktops are pinged well within it, so the HTTP server does not close them
     */
    public static Desk start(Vertx vertx, HazelcastInstance hz, DataSource db, RoutingService routing, IvrExits exits,
                             DeskConfig config, RoutingConfig routingConfig, WrapUps wrapUps, TransferLog transferLog,
                             AgentLegControl legs, Supervision supervision, Duration httpIdleTimeout, String nodeName,
                             MeterRegistry metrics) {
        return start(vertx, hz, db, routing, exits, config, routingConfig, wrapUps, transferLog, legs, supervision,
                httpIdleTimeout, nodeName, metrics, null);
    }

    /**
     * As above, with the queues as they are now: supervisors change their settings at run time
     * ({@code /api/queues/{id}/settings}), and wrap-up and transfers follow; null: the configured queues, fixed.
     */
    public static Desk start(Vertx vertx, HazelcastInstance hz, DataSource db, RoutingService routing, IvrExits exits,
                             DeskConfig config, RoutingConfig routingConfig, WrapUps wrapUps, TransferLog transferLog,
                             AgentLegControl legs, Supervision supervision, Duration httpIdleTimeout, String nodeName,
                             MeterRegistry metrics, LiveQueues liveQueues) {
        List<QueueConfig> configured = routingConfig.queues();
        Supplier<List<QueueConfig>> queues = liveQueues == null ? () -> configured : liveQueues::queues;
        Clock clock = Clock.systemUTC();
        Sessions sessions = new Sessions(hz, config.sessionIdleTimeout(), config.sessionMaxAge(), config.wsTicketTtl(),
                config.loginAttempts(), config.loginAddressAttempts(), config.loginLockout(), clock);
        UserStore users = new UserStore(db, new PasswordHasher(), clock, config.signInChecks());
        CallContexts contexts = new CallContexts(hz, CONTEXT_TTL);
        // open desktops are pinged (and their sessions touched) every third of this: within both time-outs
        Duration touchWithin = httpIdleTimeout.multipliedBy(3).dividedBy(2).compareTo(config.sessionIdleTimeout()) < 0
                ? httpIdleTimeout.multipliedBy(3).dividedBy(2) : config.sessionIdleTimeout();
        DeskHub hub = new DeskHub(vertx, sessions, routing, contexts, exits, new TopicScreenPops(hz), nodeName,
                metrics).start(config.dashboardInterval(), touchWithin);
        List<HttpRoutes> routes = List.of(
                new DeskRoutes(sessions, users, routing, contexts, ContextTokens.forCluster(hz), exits, hub, config,
                        metrics),
                new UserRoutes(users, sessions, routing),
                new SupervisorRoutes(routing, users, supervision, config.notReadyReasons()),
                new WrapUpRoutes(routing, contexts, wrapUps, () -> WrapUpPolicy.of(queues.get()), clock),
                new TransferRoutes(routing, new Transfers(hz, routingConfig.contextTtl()),
                        new dev.ivr.server.callcontext.Consults(hz, routingConfig.contextTtl()), transferLog, legs,
                        () -> queues.get().stream().collect(java.util.stream.Collectors.toMap(QueueConfig::id,
                                q -> q.preferredAgentWait() == null ? Duration.ZERO : q.preferredAgentWait(),
                                (a, b) -> a, java.util.LinkedHashMap::new)), routingConfig.transferContext(),
                        Pattern.compile(routingConfig.transferNumbers()), "exec".equals(routingConfig.dialMode()), clock),
                new Pages());
        if (liveQueues != null) {
            routes = new java.util.ArrayList<>(routes);
            routes.add(new QueueSettingsRoutes(liveQueues));
        }
        return new Desk(sessions, users, hub, routes);
    }

    /** Resolves sign-in session tokens for {@link dev.ivr.server.api.Auth#withSessions}. */
    public SessionResolver sessions() {
        return sessions;
    }

    public UserStore users() {
        return users;
    }

    public DeskHub hub() {
        return hub;
    }

    /** The desk's HTTP routes: API, WebSocket, pages, OpenAPI document. */
    public List<HttpRoutes> routes() {
        return routes;
    }

    @Override
    public void close() {
        hub.close();
    }
}
