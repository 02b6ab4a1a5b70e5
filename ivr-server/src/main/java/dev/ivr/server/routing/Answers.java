package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.callcontext.ScreenPops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;

/**
 * An agent answering: reported to the router (agent ON_CALL, the call leaves the queue) and to
 * the agent's desktop once, whichever server hears of it first (the answer subroutine's
 * {@code agent-answered} script, the dialplan's {@code route-ended} report, or the server that
 * ran Dial when it returns).
 */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private final RoutingService router;
    private final Offers offers;
    private final ScreenPops screenPops;
    private volatile AgentAnswered listener = AgentAnswered.NONE;

    Answers(RoutingService router, Offers offers, ScreenPops screenPops) {
        this.router = router;
        this.offers = offers;
        this.screenPops = screenPops;
    }

    /** What came of an answer report. */
    enum Outcome {
        /** The first report, and routing accepted it: the agent is on the call. */
        ACCEPTED,
        /** Routing refused it (a late answer, see {@link RoutingService#answered}): the two must not be connected. */
        REFUSED,
        /** No offer in progress for the call, or another report marked it answered already. */
        NONE
    }

    /** @return true if this report was the first and the router accepted it */
    boolean confirm(String callId, Instant at) {
        return report(callId, at) == Outcome.ACCEPTED;
    }

    /** The agent answered: the offer is marked answered and routing is told, once. */
    Outcome report(String callId, Instant at) {
        Optional<Offers.Offer> offer = offers.markAnswered(callId, at);
        if (offer.isEmpty()) {
            return Outcome.NONE;
        }
        Reservation r = offer.get().reservation();
        if (router.answered(r)) {
            screenPops.connected(r.agentId(), callId);
            LOG.info("agent {} answered call {}", r.agentId(), callId);
            return Outcome.ACCEPTED;
        }
        // refused (answered late, by then answered by another agent, gone, or this agent busy): the offer is put back
        // unanswered, so the answer subroutine is not told OK and the ends of the offer see no answer
        offers.put(offer.get());
        LOG.error("agent {} answered call {} after its reservation ended (longer than routing.reservation-ttl?), "
                + "and routing refused it: the call was answered by another agent, is gone, or the agent is busy",
                r.agentId(), callId);
        return Outcome.REFUSED;
    }

    /** Who is told of answers reported by the answer subroutine (call recording). */
    void listener(AgentAnswered l) {
        this.listener = l == null ? AgentAnswered.NONE : l;
    }

    /** The answer subroutine reported the agent's answer (first report): the listener is told. */
    void announce(Reservation r) {
        try {
            listener.answered(r.callId(), r.queueId(), r.agentId());
        } catch (RuntimeException e) {
            LOG.warn("after agent {} answered call {}: {}", r.agentId(), r.callId(), e.toString());
        }
    }

    /** When the agent answered, if it was reported. */
    Optional<Instant> answeredAt(String callId) {
        return offers.get(callId).filter(Offers.Offer::answered).map(o -> Instant.ofEpochMilli(o.answeredAt()));
    }
}
