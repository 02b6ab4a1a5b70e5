package dev.ivr.server.routing;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.route.RouteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routing's side of preview campaigns: an agent of the campaign's queue is reserved through the queue like any call
 * (so no inbound call is offered to that agent meanwhile, and one preview at a time per agent, cluster-wide), is shown
 * the customer on the desktop (the screen pop, before anything is dialled), and, once the agent accepts, the agent's
 * phone is rung first (AMI Originate); when the agent answers, the dialplan dials the customer on that same channel.
 * A skipped preview is withdrawn: the agent is ready again at once, and nothing counts as abandoned.
 */
public final class AgentPreviews {
    private static final Logger LOG = LoggerFactory.getLogger(AgentPreviews.class);
    /** The signed reference to the preview's context on the agent's channel (what the dialplan's report passes back). */
    public static final String CONTEXT_VARIABLE = AgentLeg.CONTEXT;
    /** The context field that marks a screen pop as a preview (its value: the preview's deadline, ISO-8601). */
    public static final String PREVIEW_FIELD = "preview-until";

    /**
     * A preview to show: the routing call id, the campaign's queue and skills, the customer, and the fields the screen
     * pop shows (campaign, reason, attempt ...).
     */
    public record Call(String callId, String flow, String queue, Map<String, Integer> skills, String customerId,
                       String phone, String reason, Map<String, String> fields) {
        public Call {
            skills = Map.copyOf(skills);
            fields = Map.copyOf(fields);
        }
    }

    /** A preview on an agent's desktop. */
    public record Shown(Reservation reservation, CallContext context) {
        public String agentId() {
            return reservation.agentId();
        }
    }

    private final RoutingService router;
    private final Originator originator;
    private final Offers offers;
    private final ContextFactory contexts;
    private final CallContexts callContexts;
    private final ContextTokens tokens;
    private final ScreenPops screenPops;
    private final CrmStore crm;
    private final Clock clock;
    private final String nodeName;

    AgentPreviews(RoutingService router, Originator originator, Offers offers, ContextFactory contexts,
                  CallContexts callContexts, ContextTokens tokens, ScreenPops screenPops, CrmStore crm, Clock clock,
                  String nodeName) {
        this.router = router;
        this.originator = originator;
        this.offers = offers;
        this.contexts = contexts;
        this.callContexts = callContexts;
        this.tokens = tokens;
        this.screenPops = screenPops;
        this.crm = crm;
        this.clock = clock;
        this.nodeName = nodeName;
    }

    /** Puts the preview in the campaign's queue: routing reserves the next agent who fits. */
    public void enqueue(Call call) {
        CallRequest.Builder b = CallRequest.builder(call.callId(), call.queue());
        call.skills().forEach(b::skill);
        router.enqueue(b.build());
    }

    /**
     * Waits up to {@code wait} for routing to reserve an agent for the queued preview; empty when none was (the
     * preview is still queued, unless it left the queue: see {@link #queued}).
     */
    public Optional<Reservation> awaitAgent(String callId, Duration wait) throws InterruptedException {
        WaitResult w = router.awaitAgent(callId, wait);
        return w instanceof WaitResult.Offered o ? Optional.of(o.reservation()) : Optional.empty();
    }

    /** Whether the preview is still in its queue (waiting or offered). */
    public boolean queued(String callId) {
        return router.position(callId).isPresent();
    }

    /** Whether the agent is still reserved for the preview (not gone, logged out or taken by routing elsewhere). */
    public boolean holds(Reservation r) {
        return router.agent(r.agentId()).map(a -> r.callId().equals(a.callId())).orElse(false);
    }

    /** Shows the customer on the reserved agent's desktop (the screen pop, marked as a preview until {@code until}). */
    public Shown show(Call call, Reservation r, Instant until) {
        Map<String, String> fields = new LinkedHashMap<>(call.fields());
        fields.put(PREVIEW_FIELD, until.toString());
        RouteRequest req = new RouteRequest(call.callId(), call.flow(), "preview", call.phone(), call.queue(),
                call.skills(), 0, fields, Duration.ZERO, null, Set.of(), call.customerId(), null,
                new RouteRequest.Journey(List.of("preview"), Map.of(), null, call.reason(), null), null);
        CallContext ctx = contexts.build(req, r, r.offeredAt(), clock.instant(), false);
        callContexts.put(ctx);
        offers.put(Offers.Offer.of(r, Offers.Mode.CALLBACK, nodeName));
        screenPops.offered(r.agentId(), ctx);
        return new Shown(r, ctx);
    }

    /** The preview was skipped (or never shown): it leaves the queue, the agent is ready again. */
    public void withdraw(String callId, String agentId, String reason) {
        router.withdraw(callId);
        offers.remove(callId);
        if (agentId != null) {
            screenPops.ended(agentId, callId, reason);
        }
    }

    /**
     * The agent accepted: rings the agent's phone, which, answered, runs {@code exten} of {@code context} (the
     * dialplan dials the customer there). {@code variables} come on top of the screen pop's (IVR_CALL_ID,
     * IVR_CONTEXT ...). Answered: the agent is on the call (routing, desktop). Not answered: the agent goes not
     * ready as for any offer not answered, and the result says why.
     */
    public Originator.Result connect(Shown shown, String context, String exten, String callerId, Map<String, String> variables,
                                     String pbx) throws InterruptedException {
        Reservation r = shown.reservation();
        if (originator == null) {
            throw new Originator.OriginateException("no manager interface (ami.enabled is false)", null);
        }
        if (!AgentLeg.dialable(r.endpoint())) {
            LOG.error("agent {} has an endpoint Originate cannot take: '{}'", r.agentId(), AgentLeg.clean(r.endpoint()));
            failed(r, "invalid-endpoint");
            return new Originator.Result(false, "failed", null, new java.util.concurrent.CompletableFuture<>());
        }
        Map<String, String> vars = new LinkedHashMap<>(AgentLeg.variables(shown.context(), tokens.token(r.callId())));
        variables.forEach((k, v) -> vars.put(k, AgentLeg.clean(v)));
        Originator.Result result;
        try {
            result = originator.originate(new Originator.Request(r.endpoint(), context, exten, callerId, r.ringTime(),
                    vars, pbx));
        } catch (Originator.OriginateException e) {
            failed(r, "pbx-unavailable");
            throw e;
        }
        if (!result.answered()) {
            LOG.info("preview {}: agent {} did not answer ({})", r.callId(), r.agentId(), result.reason());
            failed(r, result.reason());
            return result;
        }
        offers.markAnswered(r.callId(), clock.instant());
        if (router.answered(r)) {
            screenPops.connected(r.agentId(), r.callId());
        } else {
            LOG.error("preview {}: agent {} answered but the reservation had ended", r.callId(), r.agentId());
        }
        return result;
    }

    private void failed(Reservation r, String reason) {
        router.offerFailed(r, reason);
        screenPops.ended(r.agentId(), r.callId(), reason);
        offers.remove(r.callId());
    }

    /**
     * The accepted preview's call ended: the agent goes to wrap-up; the interaction is recorded (the customer's
     * contact history: the campaign's queue, the agent, the talk time; routed when the customer answered).
     */
    public void ended(Shown shown, String phone, Instant start, Instant answered, boolean customerAnswered, String result) {
        Reservation r = shown.reservation();
        router.callEnded(r);
        screenPops.ended(r.agentId(), r.callId(), customerAnswered ? "completed" : result);
        offers.remove(r.callId());
        Instant end = clock.instant();
        CallContext c = shown.context();
        try {
            crm.record(new Interaction(r.callId(), phone, null, c.flow(), null, start, end, List.of("preview", result),
                    Map.of(), c.customerId(), null, r.queueId(), r.agentId(), Duration.between(start, answered),
                    customerAnswered ? Duration.between(answered, end) : Duration.ZERO,
                    customerAnswered ? Interaction.Outcome.ROUTED : Interaction.Outcome.FAILED, nodeName));
        } catch (RuntimeException e) {
            LOG.error("preview {}: interaction not recorded: {}", r.callId(), e.toString());
        }
    }

    /** The preview's call id behind a signed reference (the dialplan's report), if the signature is right. */
    public Optional<String> verify(String token) {
        return tokens.verify(token);
    }
}
