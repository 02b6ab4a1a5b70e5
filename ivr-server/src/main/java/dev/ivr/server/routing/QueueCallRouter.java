package dev.ivr.server.routing;

import dev.ivr.server.callcontext.Transfers;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code route} node's router: queues the call in the routing library and keeps the caller
 * company until an agent is reserved, then connects them.
 *
 * <p>Waiting is one {@code WAIT FOR DIGIT} per quiet stretch, music on hold ({@code SET MUSIC on})
 * under it: until the next announcement or the node's maximum wait. A key or the caller's hang-up
 * ends it on the PBX; an agent reserved, the queue's maximum wait or the call's removal cuts it at
 * once (the routing's not-waiting signal, then a {@code NOOP} written off the call's thread), so an
 * offer reaches the caller without polling and a waiting call costs the server and the PBX a
 * command or two per announcement interval. Every {@link #ELIGIBILITY_EVERY} the node's
 * {@link EligibilitySweep} checks, off the call's thread, that someone could still serve the call;
 * only when nobody could does it cut the wait, and the caller leaves with {@code NoAgents}. Where a wait ends early without a key (a PBX that
 * does not wait out silence), the reservation is watched for the rest of a tick that adapts to
 * the call's place in the queue ({@link #tickFor}).
 * Announcements (the node's prompt, then position and estimated wait) interrupt the music every
 * {@code every}. An agent reserved: the context is built and stored, the agent's desktop pops,
 * the agent leg's variables are set and the agent is dialled ({@code EXEC Dial} with the ring
 * time, the pre-dial handler and the answer subroutine), or, in dial mode {@code dialplan}, the
 * AGI hands over to the dialplan. Not answered: the agent becomes not ready and the call is back
 * at the head of its queue, offered to the next agent while the caller keeps waiting.
 */
public final class QueueCallRouter implements CallRouter {
    static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);
    /** The shortest wait for a key; after a wait that ended early, how long the reservation is watched near the head. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** The longest tick, for calls far from the head of their queue. */
    static final Duration LONG_TICK = Duration.ofSeconds(5);
    /** How often the sweep checks that someone could still serve a waiting call (a pass over the agents). */
    static final Duration ELIGIBILITY_EVERY = Duration.ofSeconds(60);
    /** How long the caller has to confirm a callback after its prompt. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    final RoutingService router;
    final LiveQueues queues;
    final boolean dialplanMode;
    final String musicClass;
    final AgentLeg agentLeg;
    final ContextFactory contexts;
    final CallContexts callContexts;
    final ContextTokens tokens;
    final ScreenPops screenPops;
    final Offers offers;
    final Answers answers;
    final CallbackDispatcher callbacks;
    final DialplanWatch dialplanWatch;
    final QueueVoice voice;
    final Clock clock;
    final String nodeName;
    final AgentConnector connector;
    final Transfers transfers;
    final String transferContext;
    /** Consult transfers: set by the routing module (the PBX's parts arrive after it started). */
    volatile ConsultLeg.Parts consults;
    /** The PBX id of a call from its {@code CallInfo.pbxHint()}, null when unknown or when there is one PBX. */
    volatile java.util.function.UnaryOperator<String> callPbx = hint -> null;
    /** The waiting calls' check that someone could still serve them, off their threads (closed with the module). */
    final EligibilitySweep eligibility;
    /** Agents' reservations kept while they consult (their call goes on): by call id, on the call's thread. */
    final Map<String, Reservation> consulting = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param router     the routing library
     * @param settings   the queues, their language matching and music
     * @param connector  what connecting the agent's leg takes
     * @param voice      what the caller hears while waiting
     * @param callbacks  callbacks a caller asks for while waiting
     */
    QueueCallRouter(RoutingService router, QueueSettings settings, AgentConnector connector, QueueVoice voice,
                    CallbackDispatcher callbacks, Clock clock) {
        this.router = router;
        this.queues = settings.queues();
        this.musicClass = settings.musicClass();
        this.dialplanMode = connector.dialplanMode();
        this.agentLeg = connector.agentLeg();
        this.contexts = connector.contexts();
        this.callContexts = connector.callContexts();
        this.tokens = connector.tokens();
        this.screenPops = connector.screenPops();
        this.offers = connector.offers();
        this.answers = connector.answers();
        this.dialplanWatch = connector.dialplanWatch();
        this.nodeName = connector.nodeName();
        this.connector = connector;
        this.transfers = connector.transfers();
        this.transferContext = connector.transferContext();
        this.callbacks = callbacks;
        this.voice = voice;
        this.clock = clock;
        this.eligibility = new EligibilitySweep(clock);
    }

    @Override
    public RouteResult route(RouteRequest req, CallChannel channel) {
        QueueDefinition queue = queues.definition(req.queue());
        if (queue == null) {
            LOG.error("[{}] no queue '{}' is configured (routing.queues); known: {}", req.node(), req.queue(),
                    new java.util.TreeSet<>(queues.ids()));
            return new RouteResult.Failed("no queue '" + req.queue() + "' is configured");
        }
        CallRequest call = onItsPbx(callRequest(req), channel);
        try {
            Optional<Instant> since = QueuePlaces.takeOver(router, req.callId(), clock);
            if (since.isPresent()) {
                return new QueueWait(this, req, channel, queue, call, since.get()).run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RouteResult.Failed("interrupted");
        }
        if (!router.anyAgentCouldServe(call, req.maxWait())) {
            LOG.info("queue {}: no logged-in agent could take this call (skills {}, language {})", req.queue(),
                    call.requiredSkills(), call.language());
            return new RouteResult.NoAgents();
        }
        Instant enqueuedAt = clock.instant();
        try {
            enqueue(call);
        } catch (RoutingException e) {
            LOG.error("queue {}: the call cannot be queued: {}", req.queue(), e.getMessage());
            return new RouteResult.Failed(e.getMessage());
        }
        RouteResult result = new QueueWait(this, req, channel, queue, call, enqueuedAt).run();
        return dialplanMode ? result : survey(req, new TransferLegs(this, channel).follow(req, result), channel);
    }

    /**
     * The agent hung up first and the caller is still there: on to the queue's post-call survey, if it has one
     * ({@code survey-flow}, as the queue is now). Asterisk's Dial returns to the AGI script with the caller's
     * channel up, so the same AGI session goes on in the survey flow.
     */
    private RouteResult survey(RouteRequest req, RouteResult result, CallChannel channel) {
        if (!(result instanceof RouteResult.Connected c)) {
            return result;
        }
        String flow = queues.queue(req.queue()).map(dev.ivr.server.config.QueueConfig::surveyFlow).orElse(null);
        if (flow == null || flow.isBlank() || channel.isHungUp()) {
            return result;
        }
        LOG.info("agent {} ended the call: the caller goes on to the survey {}", c.agentId(), flow);
        return c.withSurvey(flow);
    }

    /** Queues a call (again) and waits for its agent: a transferred call's next offer. */
    RouteResult queueAgain(RouteRequest req, CallChannel channel, CallRequest call) {
        return queueAgain(req, channel, call, null);
    }

    /** As above; with a consult, the agent found is rung for it (not dialled by the caller). */
    RouteResult queueAgain(RouteRequest req, CallChannel channel, CallRequest call, ConsultLeg consult) {
        QueueDefinition queue = queues.definition(req.queue());
        if (queue == null) {
            return new RouteResult.Failed("no queue '" + req.queue() + "'");
        }
        call = onItsPbx(call, channel);
        if (consult != null && !router.anyAgentCouldServe(call, req.maxWait())) {
            return new RouteResult.NoAgents();
        }
        Instant enqueuedAt = clock.instant();
        enqueue(call);
        QueueWait w = new QueueWait(this, req, channel, queue, call, enqueuedAt);
        w.consult = consult;
        return w.run();
    }

    /** The request with the PBX the caller's channel is on (for routing's PBX affinity), when it is known. */
    private CallRequest onItsPbx(CallRequest call, CallChannel channel) {
        if (call.pbx() != null || channel == null || channel.info() == null) {
            return call;
        }
        String pbx = callPbx.apply(channel.info().pbxHint());
        return pbx == null ? call : call.withPbx(pbx);
    }

    CallRequest callRequestFor(RouteRequest req) {
        return callRequest(req);
    }

    private void enqueue(CallRequest call) {
        try {
            QueuePosition p = router.enqueue(call);
            LOG.info("queued in {} at position {} of {} (skills {}, priority {})", call.queueId(), p.position(),
                    p.waiting(), call.requiredSkills(), call.priority());
        } catch (RoutingException e) {
            if (e.reason() != RoutingException.Reason.DUPLICATE_CALL) {
                throw e;
            }
            // a call resumed on this node after an earlier route of it was interrupted: start its wait afresh
            router.cancel(call.callId());
            router.enqueue(call);
        }
    }

    CallRequest callRequest(RouteRequest req) {
        return callRequest(req, queues::matchLanguage);
    }

    /** The routing library's request for a route node's request, with the queues' language matching. */
    static CallRequest callRequest(RouteRequest req, java.util.function.Predicate<String> matchLanguage) {
        CallRequest.Builder b = CallRequest.builder(req.callId(), req.queue()).priority(req.priority());
        req.skills().forEach(b::skill);
        if (matchLanguage.test(req.queue()) && req.language() != null) {
            b.language(req.language());
        }
        String preferred = req.context().get("preferred-agent");
        if (preferred != null && !preferred.isBlank()) {
            b.preferredAgent(preferred);
        }
        return b.build();
    }

    /** What an offer to an agent came to. */
    enum OfferOutcome { CONNECTED, HANDED_OVER, CALLER_GONE, NOT_ANSWERED }

    /**
     * How long a waiting call's {@code WAIT FOR DIGIT} lasts: one second within the first ten
     * places of the queue (or before the position is known), two seconds up to place fifty, five
     * seconds beyond. Keys and hang-ups end it at once; only picking up an offer waits for it.
     */
    static Duration tickFor(QueuePosition position) {
        if (position == null || position.position() <= 10) {
            return TICK;
        }
        return position.position() <= 50 ? Duration.ofSeconds(2) : LONG_TICK;
    }
}
