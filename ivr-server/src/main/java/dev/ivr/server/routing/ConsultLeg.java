package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.Consult;
import dev.ivr.server.callcontext.Consults;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import dev.ivr.server.routing.QueueCallRouter.OfferOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A consult (attended) transfer on the caller's thread (exec dial mode). The agent's desktop moved the agent's
 * channel out of the call into the consult context's hold (AMI {@code Redirect}), so {@code Dial} returned with the
 * caller still up; the agent stays on the call in the routing library meanwhile.
 * <ol>
 *   <li>The caller hears music on hold. The target is reached: a queue or a named agent as a new offer of the same
 *       call (the original context plus who transferred it and why; the agent found gets the screen pop), an
 *       outside number through {@code Local/NUMBER@routing.transfer-context/n}. Asterisk rings it with AMI
 *       {@code Originate} into the consult context, whose {@code Bridge(${IVR_CONSULT_PEER})} joins the target to the
 *       holding agent: they talk.</li>
 *   <li>The agent completes (the caller's channel runs {@code Bridge(<target's channel>,x)}: the target leaves the
 *       consult and talks to the caller; the agent's channel, left alone, is hung up by the consult context) or
 *       cancels, or the target could not be reached or left (the caller's channel runs
 *       {@code Bridge(<agent's channel>,x)}: back to the agent).</li>
 * </ol>
 * Bridge blocks the caller's AGI session for the conversation, as Dial does; when it returns the call goes on as
 * after Dial (a further transfer, the survey, the end).
 */
final class ConsultLeg {
    private static final Logger LOG = LoggerFactory.getLogger(ConsultLeg.class);
    /** The variable telling the consult context that the consulting agent is done (hang up, do not hold again). */
    static final String DONE_VARIABLE = "IVR_CONSULT_DONE";

    /** What a consult needs besides the router's parts. */
    record Parts(Consults consults, Originator originator, AgentLegControl legs) {
        Parts withLegs(AgentLegControl l) {
            return new Parts(consults, originator, l);
        }
    }

    private final QueueCallRouter owner;
    private final CallChannel ch;
    private final Parts parts;
    private final String callId;
    /** The consulting agent's channel. */
    private String agentChannel;
    /** The target reached: its reservation (an agent), channel, answer time and end. */
    private Reservation target;
    private String targetChannel;
    private Instant targetAnswered;
    private CompletableFuture<Instant> targetGone = new CompletableFuture<>();
    private boolean agentEnded;

    ConsultLeg(QueueCallRouter owner, CallChannel ch, String callId) {
        this.owner = owner;
        this.ch = ch;
        this.parts = owner.consults;
        this.callId = callId;
    }

    /** The consult of the call if the agent of the leg that just ended started one. */
    static Optional<Consult> pending(QueueCallRouter owner, String callId, String agentId) {
        // cancelled already (before this server saw Dial return): still the consult's to end, back to the agent
        return owner.consults.consults().get(callId).filter(c -> (c.phase() == Consult.Phase.CALLING
                || c.phase() == Consult.Phase.CANCEL) && c.transfer().fromAgent().equals(agentId));
    }

    /**
     * @param first the consulting agent's reservation (still on the call in the routing library)
     * @return the leg that followed: the target's (completed) or the agent's again; its talk time is this part's
     */
    RouteResult run(Consult c, RouteRequest req, Reservation first) {
        Transfer t = c.transfer();
        agentChannel = c.agentChannel();
        Instant start = owner.clock.instant();
        LOG.info("agent {} consults {} {}: the caller holds", t.fromAgent(), kindName(t), t.target());
        try {
            ch.musicOnHold(true, owner.musicClass);
            String failure = cancelled() ? "cancelled"
                    : t.kind() == Transfer.Kind.NUMBER ? callNumber(t) : callAgent(req, t);
            Consult.Phase decision;
            if (failure != null) {
                decide(Consult.Phase.FAILED, failure);
                decision = Consult.Phase.FAILED;
            } else {
                decision = talk();
            }
            ch.musicOnHold(false, null);
            if (decision == Consult.Phase.COMPLETE) {
                return complete(first, start);
            }
            return back(first, start);
        } catch (CallerHungUpException e) {
            LOG.info("the caller hung up during the consult");
            endTarget("caller-hangup");
            endAgent(first, "caller-hangup");
            parts.consults().end(callId);
            return new RouteResult.Connected(first.agentId(), null, Duration.between(start, owner.clock.instant()));
        }
    }

    /** A queue or a named agent: the same call offered anew (in the target queue, or with the agent preferred). */
    private String callAgent(RouteRequest req, Transfer t) {
        RouteRequest next = consultRequest(TransferLegs.next(req, t));
        RouteResult r;
        try {
            r = owner.queueAgain(next, ch, owner.callRequestFor(next), this);
        } catch (RoutingException e) {
            LOG.error("the consult cannot be queued in {}: {}", next.queue(), e.getMessage());
            return "the call cannot be queued in " + next.queue() + ": " + e.getMessage();
        }
        if (ch.isHungUp()) {
            throw new CallerHungUpException();
        }
        return switch (r) {
            case RouteResult.Connected ignored -> null;
            case RouteResult.NoAgents ignored -> "no agent of queue " + next.queue() + " is logged in";
            case RouteResult.TimedOut ignored -> "no agent of queue " + next.queue() + " became free in time";
            case RouteResult.CallerHungUp ignored -> throw new CallerHungUpException();
            default -> cancelled() ? "cancelled" : "the consult could not be offered (" + r + ")";
        };
    }

    /** The consult's request: the transfer's, with the caller on hold (music only: no announcements, no keys). */
    static RouteRequest consultRequest(RouteRequest next) {
        return new RouteRequest(next.callId(), next.flow(), next.node(), next.ani(), next.queue(), next.skills(),
                next.priority(), next.context(), next.maxWait(), null, java.util.Set.of(), next.customerId(),
                next.language(), next.journey(), null);
    }

    /** Whether the agent cancelled while the target was being found. */
    boolean cancelled() {
        return parts.consults().get(callId).map(c -> c.phase() == Consult.Phase.CANCEL).orElse(true);
    }

    /**
     * An agent the library reserved for the consult: the screen pop (the call's context with the transfer's
     * fields), then AMI Originate of the agent's endpoint into the consult context (it bridges them with the
     * consulting agent when they answer).
     */
    OfferOutcome offer(QueueWait w, Reservation r) {
        AgentConnector c = owner.connector;
        CallContext ctx = c.contexts().build(w.req, r, w.enqueuedAt, owner.clock.instant(), false);
        c.callContexts().put(ctx);
        c.offers().put(Offers.Offer.of(r, Offers.Mode.EXEC, c.nodeName()));
        c.screenPops().offered(r.agentId(), ctx);
        phase(Consult.Phase.CALLING, r.agentId(), null, null);
        LOG.info("consult offered to agent {} ({}), after {} s in queue {}", r.agentId(), r.endpoint(),
                w.waited().toSeconds(), w.req.queue());
        if (!AgentLeg.dialable(r.endpoint())) {
            return c.notAnswered(w, r, "invalid-endpoint");
        }
        w.music(false);
        ch.musicOnHold(true, owner.musicClass);
        Originator.Result res;
        try {
            res = parts.originator().originate(new Originator.Request(r.endpoint(), Consults.CONTEXT,
                    Consults.TALK_EXTEN, "\"Consult " + AgentLeg.clean(w.req.ani() == null ? "" : w.req.ani()) + "\" <"
                    + AgentLeg.clean(w.req.ani() == null ? "" : w.req.ani()) + ">",
                    Duration.ofSeconds(AgentLeg.ringSeconds(r)), Map.of(Consults.PEER_VARIABLE, agentChannel,
                    "IVR_CALL_ID", callId, "IVR_AGENT_ID", r.agentId()), ch.info().pbx()));
        } catch (Originator.OriginateException e) {
            LOG.warn("consult: the PBX could not ring agent {}: {}", r.agentId(), e.getMessage());
            return c.notAnswered(w, r, "failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return c.notAnswered(w, r, "failed");
        }
        if (!res.answered()) {
            return c.notAnswered(w, r, res.reason());
        }
        c.answers().confirm(callId, owner.clock.instant());
        parts.consults().legAnswered(r.agentId(), callId, res.channel());
        w.queued = false;
        w.connectedAgent = r.agentId();
        w.waitTime = w.waited();
        target = r;
        targetChannel = res.channel();
        targetAnswered = owner.clock.instant();
        targetGone = res.hangup();
        return OfferOutcome.CONNECTED;
    }

    /** An outside number: Originate of a Local channel into the transfer context, not optimised away (/n). */
    private String callNumber(Transfer t) {
        phase(Consult.Phase.CALLING, null, null, null);
        Originator.Result res;
        try {
            res = parts.originator().originate(new Originator.Request("Local/" + t.target() + "@" + owner.transferContext
                    + "/n", Consults.CONTEXT, Consults.TALK_EXTEN, null,
                    Duration.ofSeconds(TransferLegs.OUTSIDE_RING_SECONDS), Map.of(Consults.PEER_VARIABLE, agentChannel,
                    "IVR_CALL_ID", callId), ch.info().pbx()));
        } catch (Originator.OriginateException e) {
            return "the PBX could not call " + t.target() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (ch.isHungUp()) {
            throw new CallerHungUpException();
        }
        if (!res.answered()) {
            return t.target() + " did not answer (" + res.reason() + ")";
        }
        targetChannel = res.channel();
        targetAnswered = owner.clock.instant();
        targetGone = res.hangup();
        return null;
    }

    /** The agent and the target talk; the caller holds until the agent decides or the target leaves. */
    private Consult.Phase talk() {
        phase(Consult.Phase.TALKING, target == null ? null : target.agentId(), targetChannel, null);
        while (true) {
            Optional<Consult> now = parts.consults().get(callId);
            if (now.isEmpty()) {
                return Consult.Phase.CANCEL;
            }
            if (now.get().phase() == Consult.Phase.COMPLETE || now.get().phase() == Consult.Phase.CANCEL) {
                return now.get().phase();
            }
            if (targetGone.isDone()) {
                decide(Consult.Phase.FAILED, "the target hung up");
                return Consult.Phase.FAILED;
            }
            ch.waitForDigit(QueueCallRouter.TICK);
            if (ch.isHungUp()) {
                throw new CallerHungUpException();
            }
        }
    }

    /** The caller is connected to the target; the consulting agent leaves (wrap-up). */
    private RouteResult complete(Reservation first, Instant start) {
        LOG.info("agent {} completed the consult: the caller is connected to {}", first.agentId(),
                target == null ? targetChannel : "agent " + target.agentId());
        setDone();
        Duration agentTalk = Duration.between(start, owner.clock.instant());
        endAgent(first, "transferred");
        parts.consults().end(callId);
        bridge(targetChannel);
        Instant end = owner.clock.instant();
        Duration talk = agentTalk.plus(Duration.between(targetAnswered, end));
        if (target == null) {
            return new RouteResult.Connected(first.agentId(), null, talk);
        }
        owner.offers.remove(callId);
        if (!consultsAgain(target)) {
            owner.router.callEnded(target);
            owner.screenPops.ended(target.agentId(), callId, "completed");
        }
        return new RouteResult.Connected(target.agentId(), null, talk);
    }

    /** Back to the consulting agent (cancelled, or the target not reached or gone). */
    private RouteResult back(Reservation first, Instant start) {
        LOG.info("consult of agent {} ended without a transfer: back to the agent", first.agentId());
        endTarget("consult-cancelled");
        parts.consults().end(callId);
        bridge(agentChannel);
        Duration talk = Duration.between(start, owner.clock.instant());
        if (!consultsAgain(first)) {
            endAgent(first, "completed");
        }
        return new RouteResult.Connected(first.agentId(), null, talk);
    }

    /** Whether the agent the caller talked to last started a consult of their own (they stay on the call). */
    private boolean consultsAgain(Reservation agent) {
        if (pending(owner, callId, agent.agentId()).isPresent() && !ch.isHungUp()) {
            owner.consulting.put(callId, agent);
            agentEnded = true;
            return true;
        }
        return false;
    }

    /** Joins the caller to a channel (Asterisk's Bridge application; x: that channel is hung up afterwards). */
    private void bridge(String channel) {
        if (channel == null) {
            LOG.warn("no channel to connect the caller to");
            return;
        }
        ch.exec("Bridge", channel + ",x");
        String result = ch.getVariable("BRIDGERESULT").orElse("");
        LOG.info("the caller's bridge with {} ended: BRIDGERESULT {}", AgentLeg.clean(channel), result);
    }

    /** Tells the consult context the agent's channel is done: it hangs up instead of holding again. */
    private void setDone() {
        try {
            parts.legs().setChannelVariable(agentChannel, DONE_VARIABLE, "1");
        } catch (RuntimeException e) {
            LOG.warn("consult: could not mark the agent's channel done ({}); hanging it up afterwards", e.getMessage());
        }
    }

    private void endAgent(Reservation first, String reason) {
        if (agentEnded) {
            return;
        }
        agentEnded = true;
        owner.router.callEnded(first);
        owner.screenPops.ended(first.agentId(), callId, reason);
    }

    private void endTarget(String reason) {
        if (target != null) {
            owner.router.callEnded(target);
            owner.screenPops.ended(target.agentId(), callId, reason);
            owner.offers.remove(callId);
            target = null;
        }
    }

    private void phase(Consult.Phase p, String agent, String channel, String detail) {
        parts.consults().change(callId, c -> c.phase().decided() ? null
                : c.with(p, agent, channel, detail, owner.clock.instant()));
    }

    private void decide(Consult.Phase p, String detail) {
        LOG.info("consult ended: {} ({})", p, detail);
        parts.consults().change(callId, c -> c.phase() == Consult.Phase.CANCEL || c.phase() == Consult.Phase.COMPLETE
                ? null : c.with(p, c.targetAgent(), c.targetChannel(), detail, owner.clock.instant()));
    }

    private static String kindName(Transfer t) {
        return t.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
}
