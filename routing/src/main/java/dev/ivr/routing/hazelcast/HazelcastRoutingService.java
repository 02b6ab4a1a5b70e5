package dev.ivr.routing.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.ClusterCalls;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.PbxAffinity;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.WaitingCall;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link RoutingService} on Hazelcast. See the package documentation of {@code dev.ivr.routing} for the model;
 * the reservation protocol is described on {@link Dispatch#pair}. This class is the API and the agents' and
 * queues' definitions; the rest is in its parts ({@link RoutingPart}), one per concern: {@link Calls} (queued,
 * waiting, cancelled), {@link Reservations} (answered, failed offers, call ends), {@link Dispatch} (matching),
 * {@link Maintenance} (timed rules, departed nodes), {@link QueueFigures} (status, positions, counters),
 * {@link Events} (the event topic), {@link ViewListeners} (the local view), on a shared {@link RoutingContext}.
 *
 * <p>The methods that read or write the cluster's maps run their work through the {@link ClusterCalls} given at start
 * (in place by default); those answered from this node's view ({@link #agents}, {@link #waitingCalls},
 * {@link #anyAgentCouldServe}, {@link #position}), the wait for an agent (on this node's own waiter) and the
 * subscriptions run on the caller's thread.
 */
public final class HazelcastRoutingService extends RoutingPart implements RoutingService {
    private final Events events;
    private final QueueFigures figures;
    private final Calls calls;
    private final Reservations reservations;
    private final Dispatch dispatch;
    private final ViewListeners listeners;
    private final ClusterCalls cluster;

    private HazelcastRoutingService(RoutingContext ctx, ClusterCalls cluster) {
        super(ctx);
        this.cluster = cluster;
        this.events = new Events(ctx);
        this.figures = new QueueFigures(ctx);
        this.dispatch = new Dispatch(ctx);
        this.calls = new Calls(ctx);
        this.reservations = new Reservations(ctx);
        this.listeners = new ViewListeners(ctx);
        ctx.events = events;
        ctx.figures = figures;
        ctx.dispatch = dispatch;
        ctx.calls = calls;
        ctx.reservations = reservations;
        ctx.maintenance = new Maintenance(ctx);
    }

    /**
     * Registers listeners, loads the current state into the local view and starts the timed tasks.
     *
     * @param cluster where the methods that read or write the cluster's maps run their work
     */
    public static HazelcastRoutingService start(HazelcastInstance hazelcast, Collection<QueueDefinition> queues,
                                                RoutingOptions options, ClusterCalls cluster) {
        HazelcastRoutingService service = new HazelcastRoutingService(new RoutingContext(hazelcast, options),
                Objects.requireNonNull(cluster, "cluster"));
        service.init(queues);
        return service;
    }

    private void init(Collection<QueueDefinition> queues) {
        listeners.register();
        for (QueueEntry entry : queueMap.values()) {
            view.applyQueue(entry.definition());
        }
        defineQueues(queues);
        for (AgentRecord agent : agentMap.values()) {
            view.applyAgent(agent);
        }
        for (CallRecord call : callMap.values()) {
            view.applyCall(call);
        }
        UUID m = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                view.departed.left(event.getMember().getUuid().toString(), now());
                log.info("member {} left the cluster: removing the calls it owned", event.getMember().getUuid());
                submit(HazelcastRoutingService.this::cleanUpDepartedOwners);
            }
        });
        unregister.add(() -> hazelcast.getCluster().removeMembershipListener(m));
        long interval = options.maintenanceInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::maintain, interval, interval, TimeUnit.MILLISECONDS);
        log.info("routing '{}' started on node {}: {} queues, {} agents, {} waiting calls", options.name(), nodeId,
                view.queues().size(), view.agents().size(), view.calls().size());
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    // =================================================================== agents

    @Override
    public Agent login(AgentProfile profile) {
        return cluster.call(() -> loginHere(profile));
    }

    private Agent loginHere(AgentProfile profile) {
        AgentResult r = agentCommand(profile.id(),
                AgentCommand.login(profile, ThreadLocalRandom.current().nextLong(), now()));
        if (!r.applied()) {
            throw new RoutingException(RoutingException.Reason.ILLEGAL_STATE,
                    "agent " + profile.id() + " is " + r.record().state() + " and cannot log in again now");
        }
        publishStateChange(r, null);
        return r.record().toAgent();
    }

    @Override
    public Agent ready(String agentId) {
        return cluster.call(() -> userTransition(agentId, AgentCommand.simple(AgentCommand.Op.READY, now()),
                "become ready"));
    }

    @Override
    public Agent notReady(String agentId, String reasonCode) {
        String reason = reasonCode == null || reasonCode.isBlank() ? "not-ready" : reasonCode;
        return cluster.call(() -> userTransition(agentId, AgentCommand.notReady(reason, now()), "become not ready"));
    }

    @Override
    public Agent wrapUpDone(String agentId) {
        return cluster.call(() -> userTransition(agentId, AgentCommand.simple(AgentCommand.Op.WRAP_UP_DONE, now()),
                "end wrap-up"));
    }

    @Override
    public Agent extendWrapUp(String agentId, Duration by) {
        return cluster.call(() -> userTransition(agentId, AgentCommand.extendWrapUp(by.toMillis(), now()),
                "extend wrap-up"));
    }

    @Override
    public Agent changeSkills(String agentId, Map<String, Integer> skills) {
        return cluster.call(() -> {
            Agent a = agentHere(agentId).orElseThrow(() -> new RoutingException(RoutingException.Reason.UNKNOWN_AGENT,
                    "unknown agent " + agentId));
            AgentProfile changed = new AgentProfile(agentId, a.name(), a.endpoint(), skills, a.languages());
            return userTransition(agentId, AgentCommand.setSkills(changed, now()), "change skills");
        });
    }

    @Override
    public Agent logout(String agentId) {
        return cluster.call(() -> userTransition(agentId, AgentCommand.simple(AgentCommand.Op.LOGOUT, now()),
                "log out"));
    }

    private Agent userTransition(String agentId, AgentCommand command, String what) {
        String callId = Optional.ofNullable(view.agent(agentId)).map(e -> e.record.callId()).orElse(null);
        AgentResult r = agentCommand(agentId, command);
        if (r.record() == null) {
            throw new RoutingException(RoutingException.Reason.UNKNOWN_AGENT, "unknown agent " + agentId);
        }
        if (!r.applied()) {
            throw new RoutingException(RoutingException.Reason.ILLEGAL_STATE,
                    "agent " + agentId + " is " + r.record().state() + " and cannot " + what);
        }
        publishStateChange(r, callId);
        AgentRecord record = r.record();
        if (record.state() == AgentState.READY) {
            AgentRecord reserved = offerAgent(agentId);
            if (reserved != null) {
                record = reserved;
            }
        }
        return record.toAgent();
    }

    @Override
    public Optional<Agent> agent(String agentId) {
        return cluster.call(() -> agentHere(agentId));
    }

    private Optional<Agent> agentHere(String agentId) {
        AgentRecord record = agentMap.get(agentId);
        if (record != null) {
            view.applyAgent(record);
        }
        return Optional.ofNullable(record).map(AgentRecord::toAgent);
    }

    @Override
    public List<Agent> agents() {
        return view.agentsById(); // this node's view of the agents: no cluster operation
    }

    // =================================================================== queues

    @Override
    public void defineQueues(Collection<QueueDefinition> queues) {
        cluster.run(() -> defineQueuesHere(queues));
    }

    private void defineQueuesHere(Collection<QueueDefinition> queues) {
        for (QueueDefinition definition : queues) {
            QueueEntry existing = queueMap.put(definition.id(), new QueueEntry(definition));
            if (existing != null && !existing.definition().equals(definition)) {
                log.info("queue {} redefined by node {}", definition.id(), nodeId);
            }
            view.applyQueue(definition);
        }
        for (QueueDefinition definition : queues) {
            definition.relaxation().stream().flatMap(s -> s.addQueues().stream())
                    .filter(other -> view.queue(other) == null)
                    .forEach(other -> log.warn("queue {} adds the agents of unknown queue {}", definition.id(), other));
        }
    }

    @Override
    public List<QueueStatus> queues() {
        return cluster.call(() -> {
            long now = now();
            return view.queues().stream().sorted(Comparator.comparing(r -> r.definition.id()))
                    .map(rules -> figures.status(rules, now)).toList(); // each queue's counters from the cluster
        });
    }

    @Override
    public List<WaitingCall> waitingCalls(String queueId) {
        long now = now(); // this node's view of the calls: no cluster operation
        return view.calls().stream().filter(c -> c.record.queueId().equals(queueId)).sorted(view.order(now))
                .map(c -> c.call).toList();
    }

    // =================================================================== calls (Calls, Reservations)

    @Override
    public boolean anyAgentCouldServe(CallRequest request, Duration maxWait) {
        if (view.queue(request.queueId()) == null) {
            throw new RoutingException(RoutingException.Reason.UNKNOWN_QUEUE, "unknown queue " + request.queueId());
        }
        PbxAffinity affinity = ctx.options.pbxAffinity();
        if (affinity.mode() == PbxAffinity.Mode.REQUIRE && request.pbx() != null) {
            // only agents on the call's PBX could ever take it
            return view.anyAgentCouldServe(CallRecord.waiting(request, nodeId, 0, now()), maxWait,
                    agent -> request.pbx().equals(affinity.pbxOf(agent.record.endpoint())));
        }
        return view.anyAgentCouldServe(CallRecord.waiting(request, nodeId, 0, now()), maxWait);
    }

    @Override
    public QueuePosition enqueue(CallRequest request) {
        return cluster.call(() -> calls.enqueue(request));
    }

    @Override
    public WaitResult awaitAgent(String callId, Duration timeout) throws InterruptedException {
        return calls.awaitAgent(callId, timeout);
    }

    @Override
    public CompletableFuture<Void> whenNotWaiting(String callId) {
        return calls.whenNotWaiting(callId);
    }

    @Override
    public Watch watchWaiting(String callId, Runnable then) {
        return calls.watchWaiting(callId, then);
    }

    @Override
    public Optional<QueuePosition> adopt(String callId) {
        return cluster.call(() -> adoptHere(callId));
    }

    private Optional<QueuePosition> adoptHere(String callId) {
        CallRecord known = callMap.get(callId);
        if (known == null || known.isOffered()) {
            return Optional.empty();
        }
        if (!nodeId.equals(known.owner())) {
            if (isMember(known.owner())) {
                return Optional.empty();
            }
            CallResult r = callCommand(callId, CallCommand.adopt(nodeId, known.owner(), now()));
            if (!r.applied() || r.after() == null) {
                return Optional.empty();
            }
            log.info("call {} in queue {} adopted from departed node {}", callId, known.queueId(), known.owner());
            known = r.after();
        }
        if (waiters.putIfAbsent(callId, new Waiter(known.incarnation())) != null) {
            return Optional.empty();
        }
        offerCall(callId);
        CallEntry current = view.call(callId);
        return Optional.of(figures.positionOf(current != null ? current : new CallEntry(known, null), now()));
    }

    private boolean isMember(String node) {
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(node)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<QueuePosition> position(String callId) {
        return calls.position(callId);
    }

    @Override
    public boolean cancel(String callId) {
        return cluster.call(() -> calls.cancel(callId));
    }

    @Override
    public boolean withdraw(String callId) {
        return cluster.call(() -> calls.withdraw(callId));
    }

    @Override
    public boolean answered(Reservation reservation) {
        return cluster.call(() -> reservations.answered(reservation));
    }

    @Override
    public boolean offerFailed(Reservation reservation, String reasonCode) {
        return cluster.call(() -> reservations.offerFailed(reservation, reasonCode));
    }

    @Override
    public boolean callEnded(Reservation reservation) {
        return cluster.call(() -> reservations.callEnded(reservation));
    }

    /** For tests: every waiting call of this node is tried now. */
    void dispatchOwnedCalls() {
        dispatch.dispatchOwnedCalls(true);
    }

    @Override
    public Subscription subscribeLocal(Consumer<? super RoutingEvent> listener) {
        return events.subscribeLocal(listener);
    }

    @Override
    public Subscription subscribe(Consumer<? super RoutingEvent> listener) {
        return events.subscribe(listener);
    }

    @Override
    public void close() {
        if (ctx.closed) {
            return;
        }
        try {
            flushStats();
        } catch (RuntimeException e) {
            log.debug("statistics not flushed at close", e);
        }
        ctx.closed = true;
        scheduler.shutdownNow();
        for (Runnable r : unregister) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.debug("listener not removed", e);
            }
        }
        waiters.values().forEach(Waiter::signal);
        events.subscribers.clear();
        events.localSubscribers.clear();
    }
}
