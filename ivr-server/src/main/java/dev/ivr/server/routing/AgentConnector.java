package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.Transfers;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.routing.QueueCallRouter.OfferOutcome;
import dev.ivr.server.wire.OffCallThread;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What connecting a waiting call to its reserved agent takes: how the agent's leg is dialled (by the call, or
 * handed to the dialplan), the call context built for the agent and kept in the cluster with its signed token,
 * the screen pops, the offer and answer records, the watch over dialplan-mode offers, this node's name, the
 * transfers agents ask for (with the dialplan context of transfers to outside numbers); and the offer itself
 * ({@link #offer}), on the waiting call's thread.
 */
record AgentConnector(AgentLeg agentLeg, boolean dialplanMode, ContextFactory contexts, CallContexts callContexts,
                      ContextTokens tokens, ScreenPops screenPops, Offers offers, Answers answers,
                      DialplanWatch dialplanWatch, String nodeName, Transfers transfers, String transferContext,
                      OffCallThread offCallThread) {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);

    /**
     * Offers the waiting call to the agent the library reserved: the context stored and its screen pop, the agent
     * leg's variables, then Dial (or the hand-over to the dialplan); what came of it is reported to the library.
     */
    OfferOutcome offer(QueueWait w, Reservation r) {
        w.offering = r;
        OfferOutcome outcome = w.consult != null ? w.consult.offer(w, r) : offerTo(w, r);
        w.offering = null;
        return outcome;
    }

    private OfferOutcome offerTo(QueueWait w, Reservation r) {
        String callId = w.req.callId();
        CallContext ctx = contexts.build(w.req, r, w.enqueuedAt, w.owner.clock.instant(), false);
        offCallThread.run(() -> { // the cluster writes off the call's thread: it keeps no Hazelcast buffer for its talk
            callContexts.put(ctx);
            offers.put(Offers.Offer.of(r, dialplanMode ? Offers.Mode.DIALPLAN : Offers.Mode.EXEC, nodeName));
            screenPops.offered(r.agentId(), ctx);
        });
        LOG.info("offered to agent {} ({}), offer {}, after {} s in queue {}", r.agentId(), r.endpoint(), r.offer(),
                w.waited().toSeconds(), w.req.queue());
        if (!AgentLeg.dialable(r.endpoint())) {
            LOG.error("agent {} has an endpoint Dial cannot take: '{}'", r.agentId(), AgentLeg.clean(r.endpoint()));
            return notAnswered(w, r, "invalid-endpoint");
        }
        w.music(false);
        AgentLeg.variables(ctx, tokens.token(callId)).forEach((name, value) -> w.ch.setVariable("__" + name, value));
        if (dialplanMode) {
            w.ch.setVariable(AgentLeg.DIAL_ENDPOINT, r.endpoint());
            w.ch.setVariable(AgentLeg.DIAL_TIMEOUT, Long.toString(AgentLeg.ringSeconds(r)));
            w.ch.setVariable(AgentLeg.DIAL_OPTIONS, agentLeg.dialOptions());
            w.ch.setVariable(AgentLeg.STATUS, "ROUTE");
            w.queued = false; // the dialplan dials; its reports (or the watch) end the offer
            dialplanWatch.watch(r);
            w.connectedAgent = r.agentId();
            w.waitTime = w.waited();
            return OfferOutcome.HANDED_OVER;
        }
        int rc = w.ch.exec("Dial", agentLeg.dialArguments(r));
        String status;
        try {
            status = w.ch.getVariable("DIALSTATUS").orElse("");
        } catch (CallerHungUpException e) {
            status = "";
        }
        if (status.equals("ANSWER")) {
            Instant end = w.owner.clock.instant();
            // the talk time runs from the agent's answer, which the answer subroutine reported (on
            // any node); Dial's ANSWEREDTIME would count from the caller's answer (IVR and queue too)
            Optional<Instant> reported = answers.answeredAt(callId);
            Instant answeredAt = reported.orElse(end);
            boolean accepted = reported.isPresent();
            if (reported.isEmpty()) {
                LOG.warn("agent {} answered, but no answer report came (routing.answer-handler '{}' in the "
                        + "dialplan?): the talk time is unknown", r.agentId(), agentLeg.answerHandler());
                accepted = answers.confirm(callId, end);
            }
            w.talkTime = reported.map(a -> Duration.between(a, end)).orElse(null);
            w.queued = false;
            if (!accepted) {
                // routing refused the answer (a late one, see Answers.confirm), yet Dial connected them: the call
                // must not stay queued as a ghost; an agent it was offered to meanwhile is released
                w.owner.router.withdraw(callId);
                screenPops.ended(r.agentId(), callId, "refused");
                LOG.error("agent {} was connected to call {} although routing refused the answer: the call is "
                        + "withdrawn from its queue, not counted as answered", r.agentId(), callId);
            } else if (w.owner.consults != null && ConsultLeg.pending(w.owner, callId, r.agentId()).isPresent()
                    && !w.ch.isHungUp()) {
                w.owner.consulting.put(callId, r); // the agent consults: still on the call, ended by the consult
            } else {
                w.owner.router.callEnded(r);
                screenPops.ended(r.agentId(), callId, "completed");
            }
            offers.remove(callId);
            w.connectedAgent = r.agentId();
            w.waitTime = Duration.between(w.enqueuedAt, answeredAt);
            if (w.waitTime.isNegative()) {
                w.waitTime = Duration.ZERO;
            }
            LOG.info("agent {} talked {}", r.agentId(), w.talkTime == null ? "(unknown)" : w.talkTime.toSeconds() + " s");
            return OfferOutcome.CONNECTED;
        }
        if (rc == -1 || status.equals("CANCEL") || w.ch.isHungUp()) {
            w.queued = false;
            w.owner.router.cancel(callId); // the agent is free again at once
            screenPops.ended(r.agentId(), callId, "caller-hangup");
            offers.remove(callId);
            LOG.info("caller hung up while agent {} was ringing", r.agentId());
            return OfferOutcome.CALLER_GONE;
        }
        return notAnswered(w, r, status.isEmpty() ? "failed" : status.toLowerCase(java.util.Locale.ROOT));
    }

    OfferOutcome notAnswered(QueueWait w, Reservation r, String reason) {
        boolean held = w.owner.router.offerFailed(r, reason);
        screenPops.ended(r.agentId(), w.req.callId(), reason);
        offers.remove(w.req.callId());
        LOG.info("agent {} did not take the call ({}): agent not ready, call back at the head of the queue{}",
                r.agentId(), reason, held ? "" : " (the reservation had already ended)");
        return OfferOutcome.NOT_ANSWERED;
    }
}
