package dev.ivr.server.desk.http;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.callcontext.Consult;
import dev.ivr.server.callcontext.Consults;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.callcontext.Transfers;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.crm.WrapUp;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.DeskRoutes.printable;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * Blind transfers from the agent desktop (documented in {@code openapi.yaml}):
 * <ul>
 *   <li>{@code GET /api/transfer/targets}: the queues, the logged-in agents and whether outside numbers are allowed</li>
 *   <li>{@code POST /api/agents/{id}/transfer}: {@code {"to": "queue"|"agent"|"number", "target": "...", "note": "..."}}
 *       hands the agent's connected call on (a named agent: offered first to them, for the call's queue's
 *       {@code preferred-agent-wait}, then to the queue)</li>
 * </ul>
 * The transfer is kept in the cluster and logged for the contact history; the PBX ends the agent's leg (AMI
 * {@code Hangup}), the server running the call sees Dial return and offers the call anew (a queue, or a named agent
 * through the call's queue) with its context plus who transferred it and why, or dials the outside number through
 * {@code routing.transfer-context}. The first agent's wrap-up starts as they leave.
 */
public final class TransferRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TransferRoutes.class);
    /** The longest transfer note. */
    public static final int MAX_NOTE = 500;

    private final RoutingService routing;
    private final Transfers transfers;
    private final TransferLog log;
    private final AgentLegControl legs;
    private final java.util.function.Supplier<Map<String, Duration>> queuesNow;
    private final String transferContext;
    private final Pattern numbers;
    private final boolean execMode;
    private final Clock clock;
    private final Consults consults;

    /**
     * @param queues          the configured queue ids (targets), each with its preferred-agent wait (how long a call
     *                        transferred to a named agent waits for them; 0: the queue takes no named transfers)
     * @param transferContext dialplan context for outside numbers; empty: none allowed
     * @param numbers         the allowlist of outside numbers
     * @param execMode        transfers need routing.dial-mode exec (the server holds the call while the agent talks)
     */
    public TransferRoutes(RoutingService routing, Transfers transfers, TransferLog log, AgentLegControl legs,
                          Map<String, Duration> queues, String transferContext, Pattern numbers, boolean execMode, Clock clock) {
        this(routing, transfers, log, legs, fixed(queues), transferContext, numbers, execMode, clock);
    }

    /** @param queues the queues as they are now (their preferred-agent wait changes at run time) */
    public TransferRoutes(RoutingService routing, Transfers transfers, TransferLog log, AgentLegControl legs,
                          java.util.function.Supplier<Map<String, Duration>> queues, String transferContext,
                          Pattern numbers, boolean execMode, Clock clock) {
        this(routing, transfers, null, log, legs, queues, transferContext, numbers, execMode, clock);
    }

    /** @param consults consult transfers in progress (null: none offered) */
    public TransferRoutes(RoutingService routing, Transfers transfers, Consults consults, TransferLog log,
                          AgentLegControl legs, java.util.function.Supplier<Map<String, Duration>> queues,
                          String transferContext, Pattern numbers, boolean execMode, Clock clock) {
        this.consults = consults;
        this.routing = routing;
        this.transfers = transfers;
        this.log = log;
        this.legs = legs;
        this.queuesNow = queues;
        this.transferContext = transferContext == null ? "" : transferContext;
        this.numbers = numbers;
        this.execMode = execMode;
        this.clock = clock;
    }

    private static java.util.function.Supplier<Map<String, Duration>> fixed(Map<String, Duration> queues) {
        Map<String, Duration> copy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(queues));
        return () -> copy;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> agent = auth.require("agent");
        router.get("/api/transfer/targets").handler(agent).blockingHandler(guarded(this::targets), false);
        router.post("/api/agents/:id/transfer").handler(agent).handler(DeskRoutes.self(false))
                .blockingHandler(guarded(this::transfer), false);
        if (consults != null) {
            router.get("/api/agents/:id/consult").handler(agent).handler(DeskRoutes.self(false))
                    .blockingHandler(guarded(this::consultState), false);
            router.post("/api/agents/:id/consult").handler(agent).handler(DeskRoutes.self(false))
                    .blockingHandler(guarded(this::consult), false);
            router.post("/api/agents/:id/consult/complete").handler(agent).handler(DeskRoutes.self(false))
                    .blockingHandler(guarded(ctx -> decide(ctx, Consult.Phase.COMPLETE)), false);
            router.post("/api/agents/:id/consult/cancel").handler(agent).handler(DeskRoutes.self(false))
                    .blockingHandler(guarded(ctx -> decide(ctx, Consult.Phase.CANCEL)), false);
        }
    }

    private void targets(RoutingContext ctx) {
        JsonArray agents = new JsonArray();
        routing.agents().stream().filter(a -> a.state() != AgentState.LOGGED_OUT)
                .sorted(Comparator.comparing(Agent::name)).forEach(a -> agents.add(new JsonObject().put("id", a.id())
                        .put("name", a.name()).put("state", a.state().name())));
        ok(ctx, new JsonObject().put("queues", new JsonArray(List.copyOf(queuesNow.get().keySet()))).put("agents", agents)
                .put("numbers", execMode && !transferContext.isEmpty()).put("enabled", execMode)
                .put("maxNoteLength", MAX_NOTE).put("consult", execMode && consults != null));
    }

    private void transfer(RoutingContext ctx) {
        Transfer t = checked(ctx);
        if (t == null) {
            return;
        }
        if (consults != null && consults.get(t.callId()).isPresent()) {
            error(ctx, 409, "a consult of this call is under way: complete or cancel it first");
            return;
        }
        String agentId = t.fromAgent();
        Transfer.Kind kind = t.kind();
        String target = t.target();
        String note = t.note();
        Agent me = routing.agent(agentId).orElse(null);
        if (me == null) {
            error(ctx, 409, "you are not on a call");
            return;
        }
        if (!transfers.request(t)) {
            error(ctx, 409, "a transfer of this call is already under way");
            return;
        }
        int ended;
        try {
            ended = legs.hangUpAgentLeg(me.endpoint());
        } catch (RuntimeException e) {
            transfers.cancel(t.callId());
            LOG.warn("transfer of call {} by agent '{}' failed: {}", t.callId(), agentId, e.getMessage());
            error(ctx, 503, "the PBX could not end your leg of the call: " + e.getMessage());
            return;
        }
        if (ended == 0) {
            transfers.cancel(t.callId());
            error(ctx, 409, "your phone has no call the PBX could end");
            return;
        }
        try {
            log.add(new TransferLog.Entry(t.callId(), agentId, t.fromQueue(), kind.name(), target, note, t.at()));
        } catch (CrmUnavailableException e) {
            // the transfer itself goes on: only its line in the history is missing
            LOG.warn("transfer of call {} not logged in the contact history: {}", t.callId(), e.getMessage());
        }
        LOG.info("agent '{}' transferred call {} to {} {} (note of {} characters)", agentId, t.callId(),
                kind.name().toLowerCase(java.util.Locale.ROOT), printable(target), note == null ? 0 : note.length());
        ok(ctx, new JsonObject().put("callId", t.callId()).put("to", kind.name().toLowerCase(java.util.Locale.ROOT))
                .put("target", target).put("note", note));
    }

    /** A transfer request's checks (blind or consult): the transfer, or null once the error was answered. */
    private Transfer checked(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return null;
        }
        String agentId = ctx.pathParam("id");
        if (!execMode) {
            error(ctx, 409, "transfers need routing.dial-mode exec (in dialplan mode the dialplan holds the call)");
            return null;
        }
        Transfer.Kind kind = Transfer.Kind.parse(b.getValue("to") instanceof String s ? s : null);
        String target = b.getValue("target") instanceof String s ? s.strip() : null;
        if (kind == null || target == null || target.isEmpty()) {
            error(ctx, 400, "give to (queue, agent or number) and target");
            return null;
        }
        if (b.getValue("note") != null && !(b.getValue("note") instanceof String)) {
            error(ctx, 400, "note must be a string");
            return null;
        }
        String note = WrapUp.cleanNote((String) b.getValue("note"));
        if (note != null && note.length() > MAX_NOTE) {
            error(ctx, 400, "the note is " + note.length() + " characters long; at most " + MAX_NOTE);
            return null;
        }
        Agent me = routing.agent(agentId).orElse(null);
        if (me == null || me.state() != AgentState.ON_CALL || me.callId() == null) {
            error(ctx, 409, "you are not on a call");
            return null;
        }
        Map<String, Duration> queues = queuesNow.get();
        switch (kind) {
            case QUEUE -> {
                if (!queues.containsKey(target)) {
                    error(ctx, 400, "no queue '" + printable(target) + "'; queues: " + String.join(", ", queues.keySet()));
                    return null;
                }
            }
            case AGENT -> {
                Agent other = routing.agent(target).orElse(null);
                if (other == null || other.state() == AgentState.LOGGED_OUT) {
                    error(ctx, 400, "agent '" + printable(target) + "' is not logged in");
                    return null;
                }
                if (target.equals(agentId)) {
                    error(ctx, 400, "you cannot transfer a call to yourself");
                    return null;
                }
                Duration wait = queues.getOrDefault(me.queueId(), Duration.ZERO);
                if (wait.isZero()) {
                    error(ctx, 409, "queue " + me.queueId() + " takes no transfers to a named agent (its"
                            + " preferred-agent-wait is 0s): transfer to a queue");
                    return null;
                }
            }
            case NUMBER -> {
                if (transferContext.isEmpty()) {
                    error(ctx, 409, "transfers to outside numbers are off (routing.transfer-context is empty)");
                    return null;
                }
                if (!numbers.matcher(target).matches()) {
                    error(ctx, 400, "number '" + printable(target) + "' is not one agents may transfer to"
                            + " (routing.transfer-numbers)");
                    return null;
                }
            }
        }
        return new Transfer(me.callId(), kind, target, note, agentId, me.queueId(), clock.instant());
    }


    private void consultState(RoutingContext ctx) {
        Agent me = routing.agent(ctx.pathParam("id")).orElse(null);
        Consult c = me == null || me.callId() == null ? null : consults.get(me.callId()).orElse(null);
        if (c == null || !c.transfer().fromAgent().equals(me.id())) {
            error(ctx, 404, "no consult of yours is under way");
            return;
        }
        ok(ctx, describe(c));
    }

    /**
     * Starts a consult: the agent's channel is moved to the consult context's hold (AMI Redirect), which ends the
     * caller's Dial with the caller still up; the server running the call then reaches the target.
     */
    private void consult(RoutingContext ctx) {
        Transfer t = checked(ctx);
        if (t == null) {
            return;
        }
        String agentId = t.fromAgent();
        String channel = consults.legOf(agentId, t.callId()).orElse(null);
        if (channel == null) {
            error(ctx, 409, "the PBX did not report your phone's channel for this call (the answer subroutine,"
                    + " routing.answer-handler, reports it): a consult needs it; a blind transfer does not");
            return;
        }
        if (!consults.start(new Consult(t, channel, Consult.Phase.CALLING, null, null, null, t.at()))) {
            error(ctx, 409, "a consult of this call is already under way");
            return;
        }
        try {
            legs.redirectLeg(channel, Consults.CONTEXT, Consults.HOLD_EXTEN);
        } catch (RuntimeException e) {
            consults.end(t.callId());
            LOG.warn("consult of call {} by agent '{}' failed: {}", t.callId(), agentId, e.getMessage());
            error(ctx, 503, "the PBX could not put the caller on hold: " + e.getMessage());
            return;
        }
        LOG.info("agent '{}' consults {} {} on call {} (note of {} characters)", agentId,
                t.kind().name().toLowerCase(java.util.Locale.ROOT), printable(t.target()), t.callId(),
                t.note() == null ? 0 : t.note().length());
        ok(ctx, describe(consults.get(t.callId()).orElseThrow()));
    }

    /** The agent completes (the target answered) or cancels the consult; the server running the call acts on it. */
    private void decide(RoutingContext ctx, Consult.Phase decision) {
        String agentId = ctx.pathParam("id");
        Agent me = routing.agent(agentId).orElse(null);
        String callId = me == null ? null : me.callId();
        Consult before = callId == null ? null : consults.get(callId).orElse(null);
        if (before == null || !before.transfer().fromAgent().equals(agentId)) {
            error(ctx, 404, "no consult of yours is under way");
            return;
        }
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        Consult after = consults.change(callId, c -> {
            if (c.phase().decided()) {
                refused.set("the consult is over already (" + c.phase().name().toLowerCase(java.util.Locale.ROOT) + ")");
                return null;
            }
            if (decision == Consult.Phase.COMPLETE && c.phase() != Consult.Phase.TALKING) {
                refused.set("the target has not answered yet: cancel, or wait until you talk to them");
                return null;
            }
            return c.with(decision, c.targetAgent(), c.targetChannel(), null, clock.instant());
        }).orElse(null);
        if (after == null || refused.get() != null) {
            error(ctx, 409, refused.get() == null ? "the consult is over already" : refused.get());
            return;
        }
        Transfer t = after.transfer();
        if (decision == Consult.Phase.COMPLETE) {
            try {
                log.add(new TransferLog.Entry(t.callId(), agentId, t.fromQueue(), t.kind().name(), t.target(), t.note(),
                        clock.instant(), true));
            } catch (CrmUnavailableException e) {
                LOG.warn("transfer of call {} not logged in the contact history: {}", t.callId(), e.getMessage());
            }
        }
        LOG.info("agent '{}' {} the consult of call {}", agentId,
                decision == Consult.Phase.COMPLETE ? "completed" : "cancelled", callId);
        ok(ctx, describe(after));
    }

    private static JsonObject describe(Consult c) {
        Transfer t = c.transfer();
        return new JsonObject().put("callId", t.callId()).put("to", t.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("target", t.target()).put("note", t.note())
                .put("phase", c.phase().name().toLowerCase(java.util.Locale.ROOT))
                .put("targetAgent", c.targetAgent()).put("detail", c.detail());
    }
}
