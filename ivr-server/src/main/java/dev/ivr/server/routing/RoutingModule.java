package dev.ivr.server.routing;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.callback.CallbackService;
import dev.ivr.server.callback.CallbackStore;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.wire.OffCallThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing in the server: the routing library started on this member with the configured
 * queues, the {@code route} node's {@link CallRouter}, the dialplan's report scripts and the
 * callback dispatcher.
 *
 * <pre>{@code
 * RoutingModule routing = RoutingModule.start(hazelcast, config.routing(), options, crm, callbackStore, screenPops,
 *         voice, originator, clock, nodeName, offCallThread);
 * new FlowEngine(..., routing.router(), ...);          // route nodes
 * ScriptResolvers.firstOf(List.of(builtins, routing.scripts(), flows));
 * routing.service().login(profile);                    // agents (REST API)
 * }</pre>
 */
public final class RoutingModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingModule.class);

    private final RoutingService service;
    private final QueueCallRouter router;
    private final ScriptResolver scripts;
    private final CallbackDispatcher callbacks;
    private final DialplanWatch dialplanWatch;
    private final CallContexts contexts;
    private final ContextTokens tokens;
    private final LiveQueues queues;
    private Answers answers;
    private Offers offers;
    private AgentPreviews previews;

    private RoutingModule(RoutingService service, QueueCallRouter router, ScriptResolver scripts,
                          CallbackDispatcher callbacks, DialplanWatch dialplanWatch, CallContexts contexts,
                          ContextTokens tokens, LiveQueues queues) {
        this.service = service;
        this.router = router;
        this.scripts = scripts;
        this.callbacks = callbacks;
        this.dialplanWatch = dialplanWatch;
        this.contexts = contexts;
        this.tokens = tokens;
        this.queues = queues;
    }

    /** Without callbacks kept beyond the cluster (tests). */
    public static RoutingModule start(HazelcastInstance hazelcast, RoutingConfig config, RoutingOptions options,
                                      CrmStore crm, ScreenPops screenPops, QueueVoice voice, Originator originator,
                                      Clock clock, String nodeName, OffCallThread offCallThread) {
        return start(hazelcast, config, options, crm, CallbackStore.NONE, screenPops, voice, originator, clock, nodeName,
                offCallThread);
    }

    /**
     * @param options       the routing library's options (tests: a name of their own, a clock)
     * @param callbackStore where callbacks are kept beyond the cluster (the database)
     * @param screenPops    where screen pops go ({@link dev.ivr.server.callcontext.TopicScreenPops} in the server)
     * @param originator    places callbacks (AMI); null when there is none: callbacks are then refused with a prompt
     * @param offCallThread where the routing service and the agent connector run a call's cluster operations (the
     *                      server's; not closed here)
     */
    public static RoutingModule start(HazelcastInstance hazelcast, RoutingConfig config, RoutingOptions options,
                                      CrmStore crm, CallbackStore callbackStore, ScreenPops screenPops, QueueVoice voice,
                                      Originator originator, Clock clock, String nodeName, OffCallThread offCallThread) {
        LiveQueues live = new LiveQueues(hazelcast, config.queues(), clock);
        RoutingService service = HazelcastRouting.start(hazelcast, new ArrayList<>(live.definitions()),
                options.withReservationTtl(config.reservationTtl()).withOwnerLostHold(config.ownerLostHold())
                        .withOwnerLeftGrace(config.ownerLeftGrace()), offCallThread::call);
        live.attach(service);
        CallContexts contexts = new CallContexts(hazelcast, config.contextTtl());
        ContextTokens tokens = ContextTokens.forCluster(hazelcast);
        Offers offers = new Offers(hazelcast, config.contextTtl());
        ContextFactory factory = new ContextFactory(crm, config.contextAttributes());
        Answers answers = new Answers(service, offers, screenPops);
        CallbackDispatcher callbacks = new CallbackDispatcher(service, originator, offers, factory, contexts, tokens,
                screenPops, crm, config.callbackContext(), new CallbackDispatcher.Settings(config.callbackExpiry(),
                config.callbackAttempts(), config.callbackRetryDelay(), config.callbackLease(), java.time.Duration.ofSeconds(1)),
                clock, nodeName, hazelcast, options.name() + ".callbacks", callbackStore, req -> QueueCallRouter.callRequest(req, live::matchLanguage),
                live.ids());
        DialplanWatch watch = new DialplanWatch(service, offers, screenPops);
        AgentLeg leg = new AgentLeg(config.preDialHandler(), config.answerHandler());
        dev.ivr.server.callcontext.Consults consults = new dev.ivr.server.callcontext.Consults(hazelcast,
                config.contextTtl());
        QueueCallRouter router = new QueueCallRouter(service,
                new QueueSettings(live, config.musicClass()),
                new AgentConnector(leg, "dialplan".equals(config.dialMode()), factory, contexts, tokens, screenPops,
                        offers, answers, watch, nodeName, new dev.ivr.server.callcontext.Transfers(hazelcast, config.contextTtl()),
                        config.transferContext(), offCallThread),
                voice, callbacks, clock);
        router.consults = new ConsultLeg.Parts(consults, originator, dev.ivr.server.call.AgentLegControl.NONE);
        ScriptResolver scripts = ScriptResolvers.firstOf(List.of(new DialplanReports(service, offers, answers, tokens,
                screenPops, clock, options.clock(), crm, consults), new CallbackReports(callbacks, tokens,
                config.callbackRetryDelay(), clock)));
        LOG.info("routing: {} queue(s) {}, dial mode {}, callbacks {}", live.ids().size(), live.ids(), config.dialMode(),
                originator == null ? "off (no AMI)" : "through AMI");
        RoutingModule module = new RoutingModule(service, router, scripts, callbacks, watch, contexts, tokens, live);
        module.answers = answers;
        module.offers = offers;
        module.previews = new AgentPreviews(service, originator, offers, factory, contexts, tokens, screenPops, crm, clock,
                nodeName);
        return module;
    }

    /**
     * Routing's PBX affinity as configured ({@code routing.pbx-affinity}, {@code routing.pbx-affinity-wait}), for
     * {@link RoutingOptions#withPbxAffinity}.
     *
     * @param pbxOfEndpoint the PBX an agent's endpoint is on, null when unknown
     */
    public static dev.ivr.routing.PbxAffinity pbxAffinity(RoutingConfig config,
                                                         java.util.function.Function<String, String> pbxOfEndpoint) {
        return new dev.ivr.routing.PbxAffinity(dev.ivr.routing.PbxAffinity.Mode.valueOf(
                config.pbxAffinity().toUpperCase(java.util.Locale.ROOT)), config.pbxAffinityWait(), pbxOfEndpoint);
    }

    /**
     * How a call's PBX is told from its {@code CallInfo.pbxHint()} (a PBX id or null), for the PBX affinity: set
     * with several PBXs only.
     */
    public void callPbxs(java.util.function.UnaryOperator<String> pbxOfCall) {
        router.callPbx = pbxOfCall;
    }

    /** What consult transfers use to move, mark and hang up agents' channels (the PBXs' manager interfaces). */
    public void agentLegs(dev.ivr.server.call.AgentLegControl legs) {
        router.consults = router.consults.withLegs(legs);
    }

    /** Preview campaigns: agents reserved through the queues, shown the customer, rung when they accept. */
    public AgentPreviews previews() {
        return previews;
    }

    /**
     * Whether the agent's phone rings with a call offered from here that is not answered yet, also after its
     * reservation ran out: a busy phone is then no call from elsewhere (see {@code AgentPhones}).
     */
    public boolean offerRinging(String agentId) {
        return offers.ringing(agentId);
    }

    /** Who is told when an agent answers (the answer subroutine's report): call recording. */
    public void onAgentAnswered(AgentAnswered listener) {
        answers.listener(listener);
    }

    /** The routing library on this member: agents, queues and their figures (for the REST API and dashboards). */
    public RoutingService service() {
        return service;
    }

    /** The {@code route} node's router. */
    public CallRouter router() {
        return router;
    }

    /** The dialplan's report scripts: {@code agent-answered}, {@code route-ended}. */
    public ScriptResolver scripts() {
        return scripts;
    }

    /** Call contexts (screen pops) of the cluster. */
    public CallContexts contexts() {
        return contexts;
    }

    /** The cluster's signed references to call contexts (the X-IVR-Context header). */
    public ContextTokens tokens() {
        return tokens;
    }

    /** The cluster's callbacks: listed, scheduled and cancelled through the API. */
    public CallbackService callbacks() {
        return callbacks;
    }

    /** Callbacks this node is waiting to place. */
    public int pendingCallbacks() {
        return callbacks.pending();
    }

    /** The queues as they are now: configured, with the settings changed at run time (cluster-wide). */
    public LiveQueues queues() {
        return queues;
    }

    @Override
    public void close() {
        router.eligibility.close();
        queues.close();
        callbacks.close();
        dialplanWatch.close();
        service.close();
    }
}
