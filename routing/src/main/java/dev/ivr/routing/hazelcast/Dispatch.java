package dev.ivr.routing.hazelcast;

import dev.ivr.routing.RoutingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Matching and dispatch: pairs a call with an agent (the reservation protocol, on {@link #pair}), from the call's
 * side, from the agent's side, in passes over this node's waiting calls, and for agents another node made ready.
 */
final class Dispatch extends RoutingPart {
    private static final long DISPATCH_DELAY_MILLIS = 50;
    /** Calls newer than this in a node's view may have been unknown to the node that made an agent ready. */
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final Matcher matcher;
    private final AtomicBoolean dispatchScheduled = new AtomicBoolean();
    private final Set<String> newlyReady = ConcurrentHashMap.newKeySet();

    Dispatch(RoutingContext ctx) {
        super(ctx);
        this.matcher = new Matcher(view, options.strategy(), options.pbxAffinity());
    }

    private enum Outcome { PAIRED, AGENT_LOST, CALL_LOST }

    private record Pairing(Outcome outcome, AgentRecord agent) {
    }

    /**
     * Pairs an agent with a call, atomically for each side:
     * <ol>
     * <li>an entry processor on the agent's entry moves it READY to RESERVED for this call, only if it is still
     *     READY in the login session the decision saw: an agent can therefore hold one reservation at a time;</li>
     * <li>an entry processor on the call's entry marks it offered to this agent, only if it is still waiting:
     *     a call is therefore offered to one agent at a time;</li>
     * <li>if the second step fails, the agent's reservation is released (its idle time kept).</li>
     * </ol>
     * A call is only seen as offered (by {@link Calls#awaitAgent}) after both steps succeeded. Whatever fails in
     * between (a node dying) is repaired by the reservation time to live.
     */
    private Pairing pair(AgentEntry agent, CallEntry call, long now) {
        CallRecord c = call.record;
        AgentResult reserved = agentCommand(agent.id(), AgentCommand.reserve(agent.record.session(), c.callId(),
                c.queueId(), c.owner(), now + ttlMillis, now, nodeId));
        if (!reserved.applied()) {
            return new Pairing(Outcome.AGENT_LOST, null);
        }
        CallResult offered = callCommand(c.callId(), CallCommand.offer(reserved.record(), now));
        if (!offered.applied()) {
            AgentResult back = agentCommand(agent.id(), AgentCommand.forCall(AgentCommand.Op.RELEASE, c.callId(), now));
            if (back.applied() && back.record().state() != reserved.from()) {
                publish(new RoutingEvent.AgentStateChanged(agent.id(), reserved.from(), back.record().state(),
                        back.record().reasonCode(), null, Instant.ofEpochMilli(now)));
            }
            return new Pairing(Outcome.CALL_LOST, null);
        }
        publishStateChange(reserved, c.callId());
        publish(new RoutingEvent.CallOffered(c.callId(), c.queueId(), agent.id(), offered.after().offers(),
                Instant.ofEpochMilli(now)));
        return new Pairing(Outcome.PAIRED, reserved.record());
    }

    /** Call side: offers a waiting call to the best ready agent. */
    @Override
    boolean offerCall(String callId) {
        Set<String> excluded = Set.of();
        for (int attempt = 0; attempt < options.maxAttempts() && !ctx.closed; attempt++) {
            CallEntry call = view.call(callId);
            if (call == null || call.record.isOffered()) {
                return false;
            }
            long now = now();
            AgentEntry agent = matcher.chooseAgent(call, now, excluded);
            if (agent == null) {
                call.triedWith = matcher.eligibilityKey(call, now);
                return false;
            }
            Pairing p = pair(agent, call, now);
            if (p.outcome() == Outcome.PAIRED) {
                return true;
            }
            if (p.outcome() == Outcome.CALL_LOST) {
                return false;
            }
            if (excluded.isEmpty()) {
                excluded = new HashSet<>();
            }
            excluded.add(agent.id());
        }
        return false;
    }

    /** Agent side: gives a ready agent the first waiting call it can serve. Returns the reserved agent or null. */
    @Override
    AgentRecord offerAgent(String agentId) {
        return offerAgent(agentId, null, Long.MIN_VALUE);
    }

    /**
     * Agent side, among the calls owned by {@code owner} (all calls when null) that reached this node's view at or
     * after {@code seenSince} (System.nanoTime, Long.MIN_VALUE for all).
     */
    private AgentRecord offerAgent(String agentId, String owner, long seenSince) {
        Set<String> excluded = Set.of();
        for (int attempt = 0; attempt < options.maxAttempts() && !ctx.closed; attempt++) {
            AgentEntry agent = view.agent(agentId);
            if (agent == null || !agent.isReady()) {
                return null;
            }
            long now = now();
            CallEntry call = matcher.chooseCall(agent, now, excluded, owner, seenSince);
            if (call == null) {
                return null;
            }
            Pairing p = pair(agent, call, now);
            if (p.outcome() == Outcome.PAIRED) {
                return p.agent();
            }
            if (p.outcome() == Outcome.AGENT_LOST) {
                return null;
            }
            if (excluded.isEmpty()) {
                excluded = new HashSet<>();
            }
            excluded.add(call.id());
        }
        return null;
    }

    /**
     * Offers this node's waiting calls, in queue order, to ready agents, when what they accept has changed since
     * they were last tried (a relaxation step, the end of a preferred-agent wait) or, every few runs, all of them.
     */
    @Override
    void dispatchOwnedCalls(boolean all) {
        if (view.readyCount() == 0) {
            return;
        }
        long now = now();
        List<CallEntry> owned = new ArrayList<>();
        for (CallEntry call : view.calls()) {
            if (!call.record.isOffered() && nodeId.equals(call.record.owner())
                    && (all || call.triedWith != matcher.eligibilityKey(call, now))) {
                owned.add(call);
            }
        }
        owned.sort(view.order(now));
        for (CallEntry call : owned) {
            if (view.readyCount() == 0 || ctx.closed) {
                return;
            }
            offerCall(call.id());
        }
    }

    /** For tests: every waiting call of this node is tried now. */
    void dispatchOwnedCalls() {
        dispatchOwnedCalls(true);
    }

    /**
     * Agents that became ready through another node: that node gave them the best call it knew of, but it may
     * not have seen a call this node queued (or re-queued) a moment ago. Give each of them the first of those
     * recent calls it can serve, if it is still ready. (Older calls were known to that node; the periodic full
     * pass catches anything else.)
     */
    private void dispatchToNewlyReady() {
        List<String> agents = new ArrayList<>(newlyReady);
        newlyReady.removeAll(agents);
        for (String agentId : agents) {
            if (view.readyCount() == 0 || ctx.closed) {
                return;
            }
            AgentEntry agent = view.agent(agentId);
            Long mine = madeHere.get(agentId);
            if (agent != null && agent.isReady() && (mine == null || mine != agent.record.version())) {
                offerAgent(agentId, nodeId, System.nanoTime() - RECENT_NANOS);
            }
        }
    }

    @Override

    void requestDispatch(String agentId) {
        newlyReady.add(agentId);
        if (!ctx.closed && dispatchScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    dispatchScheduled.set(false);
                    guarded(this::dispatchToNewlyReady);
                }, DISPATCH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                dispatchScheduled.set(false);
            }
        }
    }
}
