package dev.ivr.server.routing;

import dev.ivr.routing.RoutingException;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What follows when an agent's leg ends because the agent transferred the call from the desktop (exec dial mode:
 * the call's server is in {@code Dial} until then). A transfer to a queue or a named agent is a new offer: the call
 * is queued again (to the target queue with that queue's skills only, or to its queue with the agent as preferred
 * agent) with its original
 * context plus who transferred it and why, so the next agent's screen pop shows the same customer, path and
 * inputs and the note. A transfer to an outside number dials {@code Local/NUMBER@routing.transfer-context}.
 * The route's result keeps the first wait (from the first queueing to the first answer) for reporting and adds up
 * the agents' talk times; its agent is the last one.
 */
final class TransferLegs {
    private static final Logger LOG = LoggerFactory.getLogger(TransferLegs.class);
    /** Transfers of one call followed at most (a loop of agents handing a call around ends here). */
    static final int MAX_TRANSFERS = 10;
    /** How long an outside number rings. */
    static final int OUTSIDE_RING_SECONDS = 60;

    private final QueueCallRouter owner;
    private final CallChannel ch;

    TransferLegs(QueueCallRouter owner, CallChannel ch) {
        this.owner = owner;
        this.ch = ch;
    }

    RouteResult follow(RouteRequest first, RouteResult result) {
        if (!(result instanceof RouteResult.Connected firstLeg)) {
            return result;
        }
        Duration firstWait = firstLeg.waitTime();
        Duration talk = firstLeg.talkTime();
        RouteRequest req = first;
        RouteResult current = result;
        for (int i = 0; i < MAX_TRANSFERS; i++) {
            if (!(current instanceof RouteResult.Connected leg)) {
                return current;
            }
            if (i > 0) {
                talk = add(talk, leg.talkTime());
            }
            dev.ivr.routing.Reservation consulting = owner.consulting.remove(first.callId());
            if (consulting != null) {
                Optional<dev.ivr.server.callcontext.Consult> c = ConsultLeg.pending(owner, first.callId(), leg.agentId());
                if (c.isPresent()) {
                    current = new ConsultLeg(owner, ch, first.callId()).run(c.get(), req, consulting);
                    if (current instanceof RouteResult.Connected after) {
                        talk = add(talk, after.talkTime());
                        current = new RouteResult.Connected(after.agentId(), firstWait, null);
                    }
                    continue;
                }
                owner.router.callEnded(consulting); // the consult was gone by now: the agent's call ended
                owner.screenPops.ended(consulting.agentId(), first.callId(), "completed");
            }
            Optional<Transfer> pending = owner.transfers.take(first.callId());
            if (pending.isEmpty()) {
                return new RouteResult.Connected(leg.agentId(), firstWait, talk);
            }
            Transfer t = pending.get();
            if (ch.isHungUp()) {
                LOG.info("agent {} transferred the call, but the caller had hung up", t.fromAgent());
                return new RouteResult.Connected(leg.agentId(), firstWait, talk);
            }
            if (t.kind() == Transfer.Kind.NUMBER) {
                return outside(t, leg.agentId(), firstWait, talk);
            }
            req = next(req, t);
            LOG.info("agent {} transferred the call to {} {}: offered anew in queue {}", t.fromAgent(),
                    t.kind().name().toLowerCase(java.util.Locale.ROOT), t.target(), req.queue());
            try {
                current = owner.queueAgain(req, ch, owner.callRequestFor(req));
            } catch (RoutingException e) {
                LOG.error("the transferred call cannot be queued in {}: {}", req.queue(), e.getMessage());
                return new RouteResult.Failed("transfer to " + req.queue() + " failed: " + e.getMessage());
            }
        }
        LOG.warn("the call was transferred {} times: no more transfers are followed", MAX_TRANSFERS);
        return current instanceof RouteResult.Connected leg ? new RouteResult.Connected(leg.agentId(), firstWait,
                add(talk, leg.talkTime())) : current;
    }

    /** The route request of the next leg: the target queue, the original context plus the transfer's fields. */
    static RouteRequest next(RouteRequest req, Transfer t) {
        Map<String, String> context = new LinkedHashMap<>(req.context());
        context.remove("preferred-agent");
        context.put(Transfer.FIELD_BY, t.fromAgent());
        if (t.fromQueue() != null) {
            context.put(Transfer.FIELD_FROM_QUEUE, t.fromQueue());
        }
        if (t.note() != null) {
            context.put(Transfer.FIELD_NOTE, t.note());
        } else {
            context.remove(Transfer.FIELD_NOTE);
        }
        String queue = req.queue();
        Map<String, Integer> skills = req.skills();
        if (t.kind() == Transfer.Kind.QUEUE) {
            queue = t.target();
            skills = Map.of(); // the route node asked them of its queue: the target queue's own apply
        } else {
            context.put("preferred-agent", t.target());
        }
        return new RouteRequest(req.callId(), req.flow(), req.node(), req.ani(), queue, skills, req.priority(),
                context, req.maxWait(), req.announcement(), req.waitKeys(), req.customerId(), req.language(),
                req.journey(), null);
    }

    private RouteResult outside(Transfer t, String agentId, Duration firstWait, Duration talk) {
        String target = "Local/" + t.target() + "@" + owner.transferContext;
        LOG.info("agent {} transferred the call to an outside number: dialling {}", t.fromAgent(), target);
        try {
            ch.exec("Dial", target + "," + OUTSIDE_RING_SECONDS);
            String status = ch.getVariable("DIALSTATUS").orElse("");
            LOG.info("outside transfer ended: DIALSTATUS {}", status);
        } catch (CallerHungUpException e) {
            LOG.info("the caller hung up during the outside transfer");
        }
        return new RouteResult.Connected(agentId, firstWait, talk);
    }

    private static Duration add(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.plus(b);
    }
}
