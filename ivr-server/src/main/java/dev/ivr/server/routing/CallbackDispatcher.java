package dev.ivr.server.routing;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Callbacks: calls whose caller hung up and kept the place in the queue. This node owns them
 * (it enqueued them) and waits for each on its own virtual thread; when an agent is reserved
 * it builds the context, pops it on the agent's desktop and asks the PBX to ring the agent
 * first (AMI Originate); the agent answering makes the dialplan's callback context dial the
 * customer. Not answered: the agent becomes not ready and the callback waits for the next
 * agent. Each callback leaves its own interaction record, {@code <callId>-callback}.
 */
final class CallbackDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);
    /** The longest a callback conversation is followed when its hang-up is never reported. */
    private static final Duration MAX_TALK = Duration.ofHours(12);
    /** Priority of a callback put back after its queue's maximum wait: it had waited longest. */
    private static final int REQUEUE_PRIORITY = 100;

    /** A callback waiting for an agent. */
    record Callback(RouteRequest request, CallRequest call, String number, Instant enqueuedAt, Instant requestedAt) {
        String callId() {
            return request.callId();
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
    private final String callbackContext;
    private final Duration expiry;
    private final Clock clock;
    private final String nodeName;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CallbackDispatcher(RoutingService router, Originator originator, Offers offers, ContextFactory contexts,
                       CallContexts callContexts, ContextTokens tokens, ScreenPops screenPops, CrmStore crm,
                       String callbackContext, Duration expiry, Clock clock, String nodeName) {
        this.router = router;
        this.originator = originator;
        this.offers = offers;
        this.contexts = contexts;
        this.callContexts = callContexts;
        this.tokens = tokens;
        this.screenPops = screenPops;
        this.crm = crm;
        this.callbackContext = callbackContext;
        this.expiry = expiry;
        this.clock = clock;
        this.nodeName = nodeName;
    }

    /** Whether callbacks can be placed now. */
    boolean available() {
        return !closed && originator != null && originator.available();
    }

    /** Callbacks this node is waiting for. */
    int pending() {
        return threads.size();
    }

    /** Takes over a queued call whose caller confirmed a callback. */
    void adopt(Callback cb) {
        Thread t = Thread.ofVirtual().name("callback-" + LogText.callId(cb.callId())).unstarted(() -> run(cb));
        threads.add(t);
        t.start();
    }

    private void run(Callback cb) {
        MDC.put("call", LogText.callId(cb.callId()));
        LOG.info("callback to {} waits in queue {}", cb.number(), cb.request().queue());
        try {
            Instant expires = cb.requestedAt().plus(expiry);
            while (!closed) {
                Duration left = Duration.between(clock.instant(), expires);
                if (left.isNegative() || left.isZero()) {
                    router.cancel(cb.callId());
                    LOG.warn("callback to {} given up: no agent within {}", cb.number(), expiry);
                    record(cb, null, null, null, Interaction.Outcome.FAILED);
                    return;
                }
                WaitResult w = router.awaitAgent(cb.callId(), left.compareTo(Duration.ofSeconds(30)) < 0 ? left
                        : Duration.ofSeconds(30));
                switch (w) {
                    case WaitResult.Offered o -> {
                        if (dispatch(cb, o.reservation())) {
                            return;
                        }
                    }
                    case WaitResult.MaxWaitReached m -> {
                        // a callback is not sent elsewhere at the queue's maximum wait: it keeps the head of the line
                        CallRequest again = new CallRequest(cb.call().callId(), cb.call().queueId(),
                                cb.call().requiredSkills(), cb.call().language(), REQUEUE_PRIORITY,
                                cb.call().preferredAgentId());
                        router.enqueue(again);
                        LOG.info("callback reached the queue's maximum wait ({}): queued again first in line", m.waited());
                    }
                    case WaitResult.Removed x -> {
                        LOG.warn("callback to {} left the queue ({})", cb.number(), x.reason());
                        record(cb, null, null, null, Interaction.Outcome.FAILED);
                        return;
                    }
                    case WaitResult.Waiting x -> {
                        // keep waiting
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("callback to {} stopped with the server: it leaves the queue", cb.number());
            router.cancel(cb.callId());
        } catch (RuntimeException e) {
            LOG.error("callback to {} failed: {}", cb.number(), e.toString());
            try {
                router.cancel(cb.callId());
            } catch (RuntimeException ignored) {
                // the cluster may be gone
            }
            record(cb, null, null, null, Interaction.Outcome.FAILED);
        } finally {
            threads.remove(Thread.currentThread());
            MDC.remove("call");
        }
    }

    /** @return true when the callback is done (the agent answered and the call ended) */
    private boolean dispatch(Callback cb, Reservation r) throws InterruptedException {
        String callId = cb.callId();
        CallContext ctx = contexts.build(cb.request(), r, cb.enqueuedAt(), clock.instant(), true);
        callContexts.put(ctx);
        offers.put(Offers.Offer.of(r, Offers.Mode.CALLBACK, nodeName));
        screenPops.offered(r.agentId(), ctx);
        if (!AgentLeg.dialable(r.endpoint())) {
            LOG.error("agent {} has an endpoint Dial cannot take: '{}'", r.agentId(), AgentLeg.clean(r.endpoint()));
            return failed(r, "invalid-endpoint");
        }
        Map<String, String> vars = new LinkedHashMap<>(AgentLeg.variables(ctx, tokens.token(callId)));
        vars.put(AgentLeg.CALLBACK_NUMBER, cb.number());
        String name = ctx.customerName() == null ? "Callback" : "Callback " + AgentLeg.clean(ctx.customerName());
        Originator.Result result;
        try {
            if (originator == null) {
                throw new Originator.OriginateException("no manager interface (ami.enabled is false)", null);
            }
            LOG.info("callback: ringing agent {} at {} first (offer {})", r.agentId(), r.endpoint(), r.offer());
            result = originator.originate(new Originator.Request(r.endpoint(), callbackContext, cb.number(),
                    "\"" + name.replace("\"", "") + "\" <" + cb.number() + ">", r.ringTime(), vars));
        } catch (Originator.OriginateException e) {
            LOG.error("callback: cannot ring agent {}: {}", r.agentId(), e.getMessage());
            return failed(r, "pbx-unavailable");
        }
        if (!result.answered()) {
            LOG.info("callback: agent {} did not answer ({})", r.agentId(), result.reason());
            return failed(r, result.reason());
        }
        Instant answeredAt = clock.instant();
        offers.markAnswered(callId, answeredAt);
        if (router.answered(r)) {
            screenPops.connected(r.agentId(), callId);
        } else {
            LOG.error("callback: agent {} answered but the reservation had ended", r.agentId());
        }
        LOG.info("callback: agent {} answered; the dialplan ({}) calls {}", r.agentId(), callbackContext, cb.number());
        Instant end;
        try {
            end = result.hangup().get(MAX_TALK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("callback: the end of the call was not reported: ended now");
            end = clock.instant();
        }
        router.callEnded(r);
        screenPops.ended(r.agentId(), callId, "completed");
        offers.remove(callId);
        Duration talk = Duration.between(answeredAt, end);
        LOG.info("callback ended after {} s", talk.toSeconds());
        record(cb, r.agentId(), Duration.between(cb.enqueuedAt(), answeredAt), talk.isNegative() ? Duration.ZERO : talk,
                Interaction.Outcome.ROUTED);
        return true;
    }

    private boolean failed(Reservation r, String reason) {
        router.offerFailed(r, reason);
        screenPops.ended(r.agentId(), r.callId(), reason);
        offers.remove(r.callId());
        return false;
    }

    private void record(Callback cb, String agentId, Duration wait, Duration talk, Interaction.Outcome outcome) {
        RouteRequest req = cb.request();
        List<String> path = new ArrayList<>(req.journey().path());
        path.add("callback");
        try {
            crm.record(new Interaction(cb.callId() + "-callback", cb.number(), null, req.flow(), null, cb.requestedAt(),
                    clock.instant(), path, req.journey().inputs(), req.customerId(), req.journey().authResult(),
                    req.queue(), agentId, wait, talk, outcome, nodeName));
        } catch (RuntimeException e) {
            LOG.error("callback interaction not recorded: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
