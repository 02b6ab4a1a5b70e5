package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Built-in FastAGI scripts the dialplan runs to report on an agent leg (any server of the
 * cluster may get them; the offer is found in the cluster):
 * <ul>
 *   <li>{@value #AGENT_ANSWERED}: from the answer subroutine ({@code Dial} option {@code U}) on
 *       the agent's channel; the agent is on the call from now on ({@code IVR_STATUS=OK}), or, when routing
 *       refused the answer (it came after the reservation ended and the call is gone or the agent busy),
 *       {@code IVR_STATUS=REFUSED}: the answer subroutine must not let Dial bridge the two.</li>
 *   <li>{@value #ROUTE_ENDED}: dial mode {@code dialplan}, after the dialplan's {@code Dial}
 *       (and from the {@code h} extension): DIALSTATUS and ANSWEREDTIME end the offer.</li>
 * </ul>
 * Both read {@code IVR_CONTEXT} (inherited by the agent's channel) and act only when its
 * signature is right; they set {@code IVR_STATUS} for the dialplan.
 */
final class DialplanReports implements ScriptResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DialplanReports.class);
    static final String AGENT_ANSWERED = "agent-answered";
    static final String ROUTE_ENDED = "route-ended";
    /** {@code agent-answered}'s answer when routing refused the answer: the dialplan must not bridge the two. */
    static final String REFUSED = "REFUSED";

    private final RoutingService router;
    private final Offers offers;
    private final Answers answers;
    private final ContextTokens tokens;
    private final ScreenPops screenPops;
    private final Clock clock;
    private final Clock routingClock;
    private final CrmStore crm;
    private final dev.ivr.server.callcontext.Consults consults;

    /** @param routingClock the routing library's clock (reservations' offeredAt) */
    DialplanReports(RoutingService router, Offers offers, Answers answers, ContextTokens tokens, ScreenPops screenPops,
                    Clock clock, Clock routingClock, CrmStore crm, dev.ivr.server.callcontext.Consults consults) {
        this.consults = consults;
        this.routingClock = routingClock;
        this.crm = crm;
        this.router = router;
        this.offers = offers;
        this.answers = answers;
        this.tokens = tokens;
        this.screenPops = screenPops;
        this.clock = clock;
    }

    @Override
    public Optional<CallHandler> resolve(String script) {
        return switch (script) {
            case AGENT_ANSWERED -> Optional.of(this::agentAnswered);
            case ROUTE_ENDED -> Optional.of(this::routeEnded);
            default -> Optional.empty();
        };
    }

    @Override
    public Collection<String> names() {
        return List.of(AGENT_ANSWERED, ROUTE_ENDED);
    }

    private Optional<String> callId(CallChannel ch) {
        Optional<String> id = ch.getVariable(AgentLeg.CONTEXT).flatMap(tokens::verify);
        if (id.isEmpty()) {
            LOG.warn("{} without a valid {} on {}: ignored", ch.info().script(), AgentLeg.CONTEXT, ch.info().channel());
            ch.setVariable(AgentLeg.STATUS, "INVALID");
        }
        return id;
    }

    private void agentAnswered(CallChannel ch) {
        Optional<String> callId = callId(ch);
        if (callId.isEmpty()) {
            return;
        }
        Answers.Outcome outcome = answered(callId.get());
        if (outcome == Answers.Outcome.REFUSED) {
            // the sample's answer subroutine hangs up the agent's leg (GOSUB_RESULT=BUSY): the two are not bridged,
            // and the caller's Dial goes on as after a busy agent
            ch.setVariable(AgentLeg.STATUS, REFUSED);
            return;
        }
        offers.get(callId.get()).ifPresent(o -> consults.legAnswered(o.agentId(), o.callId(), ch.info().channel()));
        ch.setVariable(AgentLeg.STATUS, outcome == Answers.Outcome.ACCEPTED
                || answers.answeredAt(callId.get()).isPresent() ? "OK" : "UNKNOWN");
    }

    /**
     * The agent answered: the offer is confirmed, and the time the agent's phone rang is added to
     * the call's wait (recorded when the flow handed the call to the dialplan, before the ring).
     */
    private Answers.Outcome answered(String callId) {
        Optional<Offers.Offer> offer = offers.get(callId);
        Answers.Outcome outcome = answers.report(callId, clock.instant());
        if (outcome == Answers.Outcome.ACCEPTED && offer.isPresent()) {
            Duration ring = Duration.between(offer.get().reservation().offeredAt(), routingClock.instant());
            answers.announce(offer.get().reservation()); // before the bridge: recording starts now
            crm.recordRing(callId, ring);
            LOG.info("call {}: agent {} answered after ringing {} ms", callId, offer.get().reservation().agentId(),
                    ring.toMillis());
        }
        return outcome;
    }

    private void routeEnded(CallChannel ch) {
        Optional<String> callId = callId(ch);
        if (callId.isEmpty()) {
            return;
        }
        String id = callId.get();
        Optional<Offers.Offer> offer = offers.get(id);
        if (offer.isEmpty()) {
            LOG.warn("route-ended for call {}: no offer in progress", id);
            ch.setVariable(AgentLeg.STATUS, "UNKNOWN");
            return;
        }
        Reservation r = offer.get().reservation();
        String status = ch.getVariable("DIALSTATUS").orElse("");
        if (status.equals("ANSWER")) {
            answered(id);
            if (answers.answeredAt(id).isEmpty()) {
                router.withdraw(id); // routing refused a late answer: no ghost left in the queue
            }
            router.callEnded(r);
            screenPops.ended(r.agentId(), id, "completed");
            ch.setVariable(AgentLeg.STATUS, "COMPLETED");
            LOG.info("call {} with agent {} ended ({} s)", id, r.agentId(), ch.getVariable("ANSWEREDTIME").orElse("?"));
        } else if (status.isEmpty() || status.equals("CANCEL")) {
            router.cancel(id);
            screenPops.ended(r.agentId(), id, "caller-hangup");
            ch.setVariable(AgentLeg.STATUS, "ABANDONED");
            LOG.info("call {}: caller hung up while agent {} was ringing", id, r.agentId());
        } else {
            String reason = status.toLowerCase(Locale.ROOT);
            router.offerFailed(r, reason);
            router.cancel(id); // the AGI is over: nobody waits for the call in the queue any more
            screenPops.ended(r.agentId(), id, reason);
            ch.setVariable(AgentLeg.STATUS, "NOANSWER");
            LOG.info("call {}: agent {} did not answer ({}): agent not ready", id, r.agentId(), reason);
        }
        offers.remove(id);
    }
}
