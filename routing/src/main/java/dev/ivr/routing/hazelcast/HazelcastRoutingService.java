package dev.ivr.routing.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.WaitingCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link RoutingService} on Hazelcast. See the package documentation of {@code dev.ivr.routing} for the model;
 * the reservation protocol is described on {@link #pair}.
 */
public final class HazelcastRoutingService implements RoutingService {
    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);
    private static final long DISPATCH_DELAY_MILLIS = 50;
    private static final long FIGURES_TTL_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** Calls newer than this in a node's view may have been unknown to the node that made an agent ready. */
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final String RESERVATION_EXPIRED = "reservation-expired";
    private static final int[] ALL_COUNTERS = java.util.stream.IntStream.range(0, QueueStatsRecord.COUNTERS).toArray();
    /** Every this many maintenance runs, all waiting calls are tried again, changed or not. */
    private static final int FULL_PASS_EVERY = 10;

    private final HazelcastInstance hazelcast;
    private final RoutingOptions options;
    private final Clock clock;
    private final String nodeId;
    private final IMap<String, AgentRecord> agentMap;
    private final IMap<String, CallRecord> callMap;
    private final IMap<String, QueueEntry> queueMap;
    private final IMap<String, QueueStatsRecord> statsMap;
    private final ITopic<EventEnvelope> topic;
    final LocalView view = new LocalView();
    private final Matcher matcher;
    private final long ttlMillis;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<? super RoutingEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Figures> figures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> pendingStats = new ConcurrentHashMap<>();
    private final List<Runnable> unregister = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dispatchScheduled = new AtomicBoolean();
    private final Set<String> newlyReady = ConcurrentHashMap.newKeySet();
    /** Last agent version this node's own commands produced: this node already matched those agents. */
    private final ConcurrentHashMap<String, Long> madeHere = new ConcurrentHashMap<>();
    private int maintenanceRuns;
    private volatile boolean closed;
    private UUID topicListener;

    /** Handle time and staffing of a queue, cached briefly for wait-time estimates. */
    private record Figures(long computedAt, long handleMillis, int staffed) {
    }

    private HazelcastRoutingService(HazelcastInstance hazelcast, RoutingOptions options) {
        this.hazelcast = hazelcast;
        this.options = options;
        this.clock = options.clock();
        this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.agentMap = hazelcast.getMap(options.name() + ".agents");
        this.callMap = hazelcast.getMap(options.name() + ".calls");
        this.queueMap = hazelcast.getMap(options.name() + ".queues");
        this.statsMap = hazelcast.getMap(options.name() + ".stats");
        this.topic = hazelcast.getTopic(options.name() + ".events");
        this.matcher = new Matcher(view, options.strategy());
        this.ttlMillis = options.reservationTtl().toMillis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ivr-routing-" + options.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers listeners, loads the current state into the local view and starts the timed tasks. */
    public static HazelcastRoutingService start(HazelcastInstance hazelcast, Collection<QueueDefinition> queues,
                                                RoutingOptions options) {
        HazelcastRoutingService service = new HazelcastRoutingService(hazelcast, options);
        service.init(queues);
        return service;
    }

    private void init(Collection<QueueDefinition> queues) {
        UUID q = queueMap.addEntryListener(new QueueListener(), true);
        unregister.add(() -> queueMap.removeEntryListener(q));
        UUID a = agentMap.addEntryListener(new AgentListener(), true);
        unregister.add(() -> agentMap.removeEntryListener(a));
        UUID c = callMap.addEntryListener(new CallListener(), true);
        unregister.add(() -> callMap.removeEntryListener(c));
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

    private long now() {
        return clock.millis();
    }

    // =================================================================== agents

    @Override
    public Agent login(AgentProfile profile) {
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
        return userTransition(agentId, AgentCommand.simple(AgentCommand.Op.READY, now()), "become ready");
    }

    @Override
    public Agent notReady(String agentId, String reasonCode) {
        String reason = reasonCode == null || reasonCode.isBlank() ? "not-ready" : reasonCode;
        return userTransition(agentId, AgentCommand.notReady(reason, now()), "become not ready");
    }

    @Override
    public Agent wrapUpDone(String agentId) {
        return userTransition(agentId, AgentCommand.simple(AgentCommand.Op.WRAP_UP_DONE, now()), "end wrap-up");
    }

    @Override
    public Agent logout(String agentId) {
        return userTransition(agentId, AgentCommand.simple(AgentCommand.Op.LOGOUT, now()), "log out");
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
        AgentRecord record = agentMap.get(agentId);
        if (record != null) {
            view.applyAgent(record);
        }
        return Optional.ofNullable(record).map(AgentRecord::toAgent);
    }

    @Override
    public List<Agent> agents() {
        return view.agentsById();
    }

    // =================================================================== queues

    @Override
    public void defineQueues(Collection<QueueDefinition> queues) {
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
        long now = now();
        return view.queues().stream().sorted(Comparator.comparing(r -> r.definition.id()))
                .map(rules -> status(rules, now)).toList();
    }

    private QueueStatus status(QueueRules rules, long now) {
        String id = rules.definition.id();
        int waiting = 0;
        long oldest = Long.MAX_VALUE;
        for (CallEntry call : view.calls()) {
            if (call.record.queueId().equals(id)) {
                waiting++;
                oldest = Math.min(oldest, call.record.enqueuedAt());
            }
        }
        QueueStatsRecord stats = statsMap.get(id);
        long[] totals = stats == null ? new long[QueueStatsRecord.COUNTERS] : stats.totals(now);
        long answered = totals[QueueStatsRecord.ANSWERED];
        long inTarget = totals[QueueStatsRecord.ANSWERED_IN_TARGET];
        long denominator = answered + totals[QueueStatsRecord.ABANDONED_AFTER_TARGET] + totals[QueueStatsRecord.MAX_WAIT];
        OptionalDouble serviceLevel = denominator == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) inTarget / denominator);
        long handled = totals[QueueStatsRecord.HANDLED];
        Duration aht = handled == 0 ? rules.definition.defaultHandleTime()
                : Duration.ofMillis(totals[QueueStatsRecord.HANDLE_MILLIS] / handled);
        return new QueueStatus(rules.definition, waiting,
                waiting == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - oldest)), serviceLevel, answered,
                inTarget, totals[QueueStatsRecord.ABANDONED], totals[QueueStatsRecord.MAX_WAIT], aht,
                Map.copyOf(view.agentsFor(rules)));
    }

    @Override
    public List<WaitingCall> waitingCalls(String queueId) {
        long now = now();
        return view.calls().stream().filter(c -> c.record.queueId().equals(queueId)).sorted(view.order(now))
                .map(c -> c.call).toList();
    }

    // =================================================================== calls

    @Override
    public boolean anyAgentCouldServe(CallRequest request, Duration maxWait) {
        if (view.queue(request.queueId()) == null) {
            throw new RoutingException(RoutingException.Reason.UNKNOWN_QUEUE, "unknown queue " + request.queueId());
        }
        return view.anyAgentCouldServe(CallRecord.waiting(request, nodeId, 0, now()), maxWait);
    }

    @Override
    public QueuePosition enqueue(CallRequest request) {
        if (view.queue(request.queueId()) == null) {
            throw new RoutingException(RoutingException.Reason.UNKNOWN_QUEUE, "unknown queue " + request.queueId());
        }
        long now = now();
        CallRecord record = CallRecord.waiting(request, nodeId, ThreadLocalRandom.current().nextLong(), now);
        Waiter waiter = new Waiter(record.incarnation());
        if (waiters.putIfAbsent(request.callId(), waiter) != null) {
            throw new RoutingException(RoutingException.Reason.DUPLICATE_CALL, "call " + request.callId() + " is already queued");
        }
        CallRecord existing = callMap.putIfAbsent(request.callId(), record);
        if (existing != null) {
            waiters.remove(request.callId(), waiter);
            throw new RoutingException(RoutingException.Reason.DUPLICATE_CALL, "call " + request.callId() + " is already queued");
        }
        view.applyCall(record);
        publish(new RoutingEvent.CallQueued(request.callId(), request.queueId(),
                request.priority(), nodeId, Instant.ofEpochMilli(now)));
        offerCall(request.callId());
        CallEntry current = view.call(request.callId());
        // the call may already be offered, answered and gone: its position is then that of a new call
        return positionOf(current != null ? current : new CallEntry(record, null), now());
    }

    @Override
    public WaitResult awaitAgent(String callId, Duration timeout) throws InterruptedException {
        Waiter waiter = waiters.get(callId);
        if (waiter == null) {
            CallEntry call = view.call(callId);
            if (call != null && !nodeId.equals(call.record.owner())) {
                throw new RoutingException(RoutingException.Reason.NOT_OWNER,
                        "call " + callId + " is owned by node " + call.record.owner());
            }
            return new WaitResult.Removed("not queued");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = waiter.signals();
            CallEntry call = view.call(callId);
            if (call == null || call.record.incarnation() != waiter.incarnation) {
                waiters.remove(callId, waiter);
                return new WaitResult.Removed("not queued");
            }
            long now = now();
            CallRecord record = call.record;
            QueueRules rules = view.queue(record.queueId());
            long waitLeft = Long.MAX_VALUE;
            if (record.isOffered()) {
                if (now < record.offeredAt() + ttlMillis) {
                    return new WaitResult.Offered(reservation(record, rules));
                }
            } else if (rules != null && rules.maxWaitMillis != Long.MAX_VALUE) {
                waitLeft = record.enqueuedAt() + rules.maxWaitMillis - now;
                if (waitLeft <= 0) {
                    CallResult r = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE_IF_WAITING, null, now));
                    if (r.applied()) {
                        waiters.remove(callId, waiter);
                        Duration waited = Duration.ofMillis(now - record.enqueuedAt());
                        String target = rules.definition.maxWaitTarget();
                        recordStats(record.queueId(), now, new int[]{QueueStatsRecord.MAX_WAIT}, new long[]{1});
                        publish(new RoutingEvent.MaxWaitReached(callId, record.queueId(), target, waited,
                                Instant.ofEpochMilli(now)));
                        return new WaitResult.MaxWaitReached(target, waited);
                    }
                    continue;
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new WaitResult.Waiting(positionOf(call, now));
            }
            waiter.await(seen, Math.min(remaining, Waiter.toNanos(waitLeft)));
        }
    }

    private Reservation reservation(CallRecord record, QueueRules rules) {
        Duration ring = rules == null ? Duration.ofSeconds(20) : rules.definition.ringTime();
        return new Reservation(record.callId(), record.queueId(), record.agentId(), record.agentName(),
                record.endpoint(), record.offers(), Instant.ofEpochMilli(record.offeredAt()), ring);
    }

    @Override
    public Optional<QueuePosition> adopt(String callId) {
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
        return Optional.of(positionOf(current != null ? current : new CallEntry(known, null), now()));
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
        CallEntry call = view.call(callId);
        return call == null ? Optional.empty() : Optional.of(positionOf(call, now()));
    }

    private QueuePosition positionOf(CallEntry call, long now) {
        String queueId = call.record.queueId();
        int waiting = view.waitingIn(queueId);
        int ahead = view.waitingAhead(call);
        if (ahead < 0) {
            ahead = 0;
            for (CallEntry other : view.calls()) {
                if (other.record.queueId().equals(queueId) && other != call && !other.record.isOffered()
                        && view.compare(other, call, now) < 0) {
                    ahead++;
                }
            }
        }
        int position = ahead + 1;
        Figures f = figures(view.queue(queueId));
        long estimate = f == null ? 0 : position * f.handleMillis / Math.max(1, f.staffed);
        return new QueuePosition(call.id(), queueId, position, waiting,
                Duration.ofMillis(Math.max(0, now - call.record.enqueuedAt())), Duration.ofMillis(estimate));
    }

    private Figures figures(QueueRules rules) {
        if (rules == null) {
            return null;
        }
        long t = System.nanoTime();
        Figures f = figures.get(rules.definition.id());
        if (f != null && t - f.computedAt < FIGURES_TTL_NANOS) {
            return f;
        }
        QueueStatsRecord stats = statsMap.get(rules.definition.id());
        long[] totals = stats == null ? new long[QueueStatsRecord.COUNTERS] : stats.totals(now());
        long handled = totals[QueueStatsRecord.HANDLED];
        long handle = handled == 0 ? rules.definition.defaultHandleTime().toMillis()
                : totals[QueueStatsRecord.HANDLE_MILLIS] / handled;
        Map<AgentState, Integer> agents = view.agentsFor(rules);
        int staffed = agents.get(AgentState.READY) + agents.get(AgentState.RESERVED)
                + agents.get(AgentState.ON_CALL) + agents.get(AgentState.WRAP_UP);
        f = new Figures(t, handle, staffed);
        figures.put(rules.definition.id(), f);
        return f;
    }

    @Override
    public boolean cancel(String callId) {
        long now = now();
        CallEntry known = view.call(callId);
        CallResult r = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE, null, now));
        if (!r.applied()) {
            if (known != null && known.record.agentId() != null) {
                // already gone (a removal retried after a member failure): still free the agent it was offered to
                freeAgent(known.record.agentId(), callId, now);
            }
            return false;
        }
        CallRecord call = r.before();
        long waited = now - call.enqueuedAt();
        QueueRules rules = view.queue(call.queueId());
        boolean late = rules != null && waited > rules.definition.serviceLevel().threshold().toMillis();
        recordStats(call.queueId(), now, new int[]{QueueStatsRecord.ABANDONED, QueueStatsRecord.ABANDONED_AFTER_TARGET},
                new long[]{1, late ? 1 : 0});
        publish(new RoutingEvent.CallAbandoned(callId, call.queueId(), Duration.ofMillis(waited),
                RoutingEvent.CALLER_HANGUP, Instant.ofEpochMilli(now)));
        if (call.agentId() != null) {
            freeAgent(call.agentId(), callId, now);
        }
        return true;
    }

    /** Releases an agent reserved for a call that is gone, and gives the agent its next call. */
    private void freeAgent(String agentId, String callId, long now) {
        AgentResult a = agentCommand(agentId, AgentCommand.forCall(AgentCommand.Op.RELEASE, callId, now));
        if (a.applied()) {
            publishStateChange(a, callId);
            if (a.record().state() == AgentState.READY) {
                offerAgent(agentId);
            }
        }
    }

    /**
     * Whether the call is offered to the agent: from this node's view when it says so (always the case on the
     * owner after {@link #awaitAgent}), otherwise from the cluster. An agent reserved for a call that is not
     * (yet) offered to it is in the middle of another node's reservation and must not be answered for.
     */
    private boolean isOffered(Reservation reservation) {
        CallEntry call = view.call(reservation.callId());
        if (call != null && call.record.isOfferedTo(reservation.agentId())) {
            return true;
        }
        CallRecord record = callMap.get(reservation.callId());
        if (record != null) {
            onCallRecord(record);
        }
        return record != null && record.isOfferedTo(reservation.agentId());
    }

    @Override
    public boolean answered(Reservation reservation) {
        if (!isOffered(reservation)) {
            return false;
        }
        long now = now();
        String callId = reservation.callId();
        AgentResult a = agentCommand(reservation.agentId(), AgentCommand.forCall(AgentCommand.Op.ANSWER, callId, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, callId);
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE_IF_OFFERED, reservation.agentId(), now));
        if (c.applied()) {
            CallRecord call = c.before();
            long waited = now - call.enqueuedAt();
            QueueRules rules = view.queue(call.queueId());
            boolean inTarget = rules == null || waited <= rules.definition.serviceLevel().threshold().toMillis();
            recordStats(call.queueId(), now, new int[]{QueueStatsRecord.ANSWERED, QueueStatsRecord.ANSWERED_IN_TARGET},
                    new long[]{1, inTarget ? 1 : 0});
            publish(new RoutingEvent.CallAnswered(callId, call.queueId(), reservation.agentId(),
                    Duration.ofMillis(waited), Instant.ofEpochMilli(now)));
        } else {
            log.warn("call {} answered by {} was no longer offered to that agent", callId, reservation.agentId());
        }
        return true;
    }

    @Override
    public boolean offerFailed(Reservation reservation, String reasonCode) {
        if (!isOffered(reservation)) {
            return false;
        }
        long now = now();
        String reason = reasonCode == null || reasonCode.isBlank() ? "no-answer" : reasonCode;
        String callId = reservation.callId();
        AgentResult a = agentCommand(reservation.agentId(), AgentCommand.offerFailed(callId, reason, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, callId);
        requeue(callId, reservation.agentId(), reason, now);
        return true;
    }

    /** Puts a call offered to an agent back at the head of its queue and offers it to the next agent. */
    private void requeue(String callId, String agentId, String reason, long now) {
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REQUEUE, agentId, now));
        if (c.applied()) {
            publish(new RoutingEvent.CallRequeued(callId, c.after().queueId(), agentId, reason,
                    Instant.ofEpochMilli(now)));
            offerCall(callId);
        }
    }

    @Override
    public boolean callEnded(Reservation reservation) {
        long now = now();
        QueueRules rules = view.queue(reservation.queueId());
        long wrapUp = rules == null ? 0 : rules.definition.wrapUp().toMillis();
        AgentResult a = agentCommand(reservation.agentId(),
                AgentCommand.callEnded(reservation.callId(), wrapUp, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, reservation.callId());
        recordStats(reservation.queueId(), now, new int[]{QueueStatsRecord.HANDLE_MILLIS, QueueStatsRecord.HANDLED},
                new long[]{Math.max(0, now - a.fromSince()), 1});
        if (a.record().state() == AgentState.READY) {
            offerAgent(reservation.agentId());
        }
        return true;
    }

    // =================================================================== matching

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
     * A call is only seen as offered (by {@link #awaitAgent}) after both steps succeeded. Whatever fails in
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
    boolean offerCall(String callId) {
        Set<String> excluded = Set.of();
        for (int attempt = 0; attempt < options.maxAttempts() && !closed; attempt++) {
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
    AgentRecord offerAgent(String agentId) {
        return offerAgent(agentId, null, Long.MIN_VALUE);
    }

    /**
     * Agent side, among the calls owned by {@code owner} (all calls when null) that reached this node's view at or
     * after {@code seenSince} (System.nanoTime, Long.MIN_VALUE for all).
     */
    private AgentRecord offerAgent(String agentId, String owner, long seenSince) {
        Set<String> excluded = Set.of();
        for (int attempt = 0; attempt < options.maxAttempts() && !closed; attempt++) {
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
            if (view.readyCount() == 0 || closed) {
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
            if (view.readyCount() == 0 || closed) {
                return;
            }
            AgentEntry agent = view.agent(agentId);
            Long mine = madeHere.get(agentId);
            if (agent != null && agent.isReady() && (mine == null || mine != agent.record.version())) {
                offerAgent(agentId, nodeId, System.nanoTime() - RECENT_NANOS);
            }
        }
    }

    private void requestDispatch(String agentId) {
        newlyReady.add(agentId);
        if (!closed && dispatchScheduled.compareAndSet(false, true)) {
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

    // =================================================================== timed rules and departed nodes

    private void maintain() {
        guarded(() -> {
            view.purgeTombstones();
            flushStats();
            if (isOldestMember()) {
                long now = now();
                expireWrapUps(now);
                expireReservations(now);
                repairStaleOffers(now);
                cleanUpDepartedOwners();
            }
            dispatchOwnedCalls(++maintenanceRuns % FULL_PASS_EVERY == 0);
        });
    }

    private void guarded(Runnable task) {
        if (closed) {
            return;
        }
        try {
            task.run();
        } catch (HazelcastInstanceNotActiveException e) {
            log.debug("routing task skipped: Hazelcast is not active");
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("routing task failed", e);
            }
        }
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            log.debug("routing closed, task dropped");
        }
    }

    private boolean isOldestMember() {
        Set<Member> members = hazelcast.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    private void expireWrapUps(long now) {
        for (AgentEntry agent : view.agents()) {
            if (agent.record.state() == AgentState.WRAP_UP && agent.record.wrapUpUntil() <= now) {
                AgentResult r = agentCommand(agent.id(), AgentCommand.simple(AgentCommand.Op.WRAP_UP_EXPIRED, now));
                if (r.applied()) {
                    publishStateChange(r, agent.record.callId());
                    if (r.record().state() == AgentState.READY) {
                        offerAgent(agent.id());
                    }
                }
            }
        }
    }

    private void expireReservations(long now) {
        for (AgentEntry agent : view.agents()) {
            AgentRecord record = agent.record;
            if (record.state() == AgentState.RESERVED && record.reservedUntil() <= now) {
                String callId = record.callId();
                AgentResult r = agentCommand(agent.id(), AgentCommand.forCall(AgentCommand.Op.EXPIRE, callId, now));
                if (r.applied()) {
                    log.warn("reservation of agent {} for call {} expired", agent.id(), callId);
                    publishStateChange(r, callId);
                    requeue(callId, agent.id(), RESERVATION_EXPIRED, now);
                    if (r.record().state() == AgentState.READY) {
                        offerAgent(agent.id());
                    }
                }
            }
        }
    }

    /**
     * Calls still marked offered well after their reservation should have ended: a node died between two
     * steps. If the agent is on the call, the call was answered; otherwise it goes back to its queue.
     */
    private void repairStaleOffers(long now) {
        for (CallEntry call : view.calls()) {
            CallRecord record = call.record;
            if (!record.isOffered() || record.offeredAt() + 2 * ttlMillis > now) {
                continue;
            }
            AgentRecord agent = agentMap.get(record.agentId());
            if (agent != null && agent.holds(record.callId())) {
                if (agent.state() != AgentState.RESERVED) {
                    callCommand(record.callId(), CallCommand.of(CallCommand.Op.REMOVE_IF_OFFERED, record.agentId(), now));
                }
            } else {
                requeue(record.callId(), record.agentId(), RESERVATION_EXPIRED, now);
            }
        }
    }

    /** Removes the calls owned by nodes that are no longer members, and frees the agents that held them. */
    private void cleanUpDepartedOwners() {
        if (!isOldestMember()) {
            return;
        }
        Set<String> members = new HashSet<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            members.add(member.getUuid().toString());
        }
        long now = now();
        for (CallEntry call : view.calls()) {
            String owner = call.record.owner();
            if (members.contains(owner) || !call.record.isOffered()
                    && now - view.departed.leftAt(owner, now) < options.ownerLeftGrace().toMillis()) {
                continue; // a waiting call of a departed node keeps its place for the grace period: adopt()
            }
            CallResult r = callCommand(call.id(), CallCommand.of(CallCommand.Op.REMOVE_IF_OWNER, owner, now));
            if (r.applied()) {
                CallRecord removed = r.before();
                log.warn("call {} in queue {} removed: its node {} left the cluster", removed.callId(),
                        removed.queueId(), owner);
                publish(new RoutingEvent.CallAbandoned(removed.callId(), removed.queueId(),
                        Duration.ofMillis(Math.max(0, now - removed.enqueuedAt())), RoutingEvent.OWNER_LEFT,
                        Instant.ofEpochMilli(now)));
                if (removed.agentId() != null) {
                    // offered: the PBX may ring or bridge the agent's phone still, and nobody will report its end
                    ownerLost(removed.agentId(), owner, removed.queueId(), removed.isOfferedTo(removed.agentId()), now);
                }
            }
        }
        for (AgentEntry agent : view.agents()) {
            AgentRecord record = agent.record;
            if (record.state() == AgentState.RESERVED && record.reservedBy() != null
                    && !members.contains(record.reservedBy()) && members.contains(record.callOwner())) {
                // reserved by a node that died before offering the call: nobody will finish that pairing
                CallRecord call = callMap.get(record.callId());
                if (call == null || !call.isOfferedTo(agent.id())) {
                    freeAgent(agent.id(), record.callId(), now);
                }
                continue;
            }
            if (record.state().isBusy() && record.callOwner() != null && !members.contains(record.callOwner())) {
                // on the call, or reserved for a call whose record is gone: the phone may be in use
                ownerLost(agent.id(), record.callOwner(), record.queueId(), true, now);
            }
        }
    }

    /**
     * The agent's call belonged to a node that left. An agent whose phone may be in that call (connected, or
     * offered: the PBX rings or bridges it still, and no node will hear of its end) is kept in wrap-up for the
     * queue's wrap-up time, at least {@link RoutingOptions#ownerLostHold()}; an agent only reserved is released.
     */
    private void ownerLost(String agentId, String owner, String queueId, boolean phoneMayBeInUse, long now) {
        QueueRules rules = queueId == null ? null : view.queue(queueId);
        long wrapUp = rules == null ? 0 : rules.definition.wrapUp().toMillis();
        long hold = phoneMayBeInUse ? Math.max(wrapUp, options.ownerLostHold().toMillis()) : 0;
        AgentResult r = agentCommand(agentId, AgentCommand.ownerLost(owner, hold, now));
        if (r.applied()) {
            if (r.record().state() == AgentState.WRAP_UP) {
                log.warn("agent {} kept in wrap-up until {}: the node {} of its call {} left while its phone rang or"
                        + " talked", agentId, Instant.ofEpochMilli(r.record().wrapUpUntil()), owner, r.record().callId());
            }
            publishStateChange(r, r.record().callId());
            if (r.record().state() == AgentState.READY) {
                offerAgent(agentId);
            }
        }
    }

    // =================================================================== cluster plumbing

    private AgentResult agentCommand(String agentId, AgentCommand command) {
        AgentResult r = agentMap.executeOnKey(agentId, command);
        if (r.record() != null) {
            if (r.applied()) {
                madeHere.put(agentId, r.record().version());
            }
            view.applyAgent(r.record());
        }
        return r;
    }

    private CallResult callCommand(String callId, CallCommand command) {
        CallResult r = callMap.executeOnKey(callId, command);
        if (r.after() != null) {
            onCallRecord(r.after());
        } else if (r.applied() && r.before() != null) {
            onCallRemoved(r.before());
        }
        return r;
    }

    private void onCallRecord(CallRecord record) {
        if (view.applyCall(record) != null) {
            Waiter waiter = waiters.get(record.callId());
            if (waiter != null) {
                waiter.signal();
            }
        }
    }

    private void onCallRemoved(CallRecord record) {
        view.removeCall(record);
        Waiter waiter = waiters.get(record.callId());
        if (waiter != null && waiter.incarnation == record.incarnation()) {
            waiters.remove(record.callId(), waiter);
            waiter.signal();
        }
    }

    /** Adds to this node's pending counters of a queue; {@link #flushStats} writes them to the cluster. */
    private void recordStats(String queueId, long now, int[] counters, long[] deltas) {
        pendingStats.compute(queueId, (id, pending) -> {
            long[] sum = pending == null ? new long[QueueStatsRecord.COUNTERS] : pending;
            for (int i = 0; i < counters.length; i++) {
                sum[counters[i]] += deltas[i];
            }
            return sum;
        });
    }

    /**
     * Writes the counters gathered since the last flush, one entry processor per queue (rather than one per call
     * outcome). A flush happens at every maintenance run, so a count lands in the bucket of its flush time, at
     * most one maintenance interval late; a node that dies loses the counts of that interval.
     */
    private void flushStats() {
        long now = now();
        for (String queueId : List.copyOf(pendingStats.keySet())) {
            long[] deltas = pendingStats.remove(queueId);
            if (deltas == null) {
                continue;
            }
            QueueRules rules = view.queue(queueId);
            long window = rules == null ? Duration.ofMinutes(30).toMillis()
                    : rules.definition.serviceLevel().window().toMillis();
            statsMap.executeOnKey(queueId, new StatsCommand(now, window, ALL_COUNTERS, deltas));
        }
    }

    private void publishStateChange(AgentResult r, String callId) {
        if (!r.changed()) {
            return;
        }
        AgentRecord record = r.record();
        publish(new RoutingEvent.AgentStateChanged(record.id(), r.from(), record.state(), record.reasonCode(),
                record.callId() != null ? record.callId() : callId, Instant.ofEpochMilli(now())));
    }

    private void publish(RoutingEvent event) {
        topic.publish(new EventEnvelope(event));
    }

    @Override
    public Subscription subscribe(Consumer<? super RoutingEvent> listener) {
        synchronized (subscribers) {
            if (topicListener == null && !closed) {
                // read the event stream only once someone on this node listens
                UUID id = topic.addMessageListener(new EventListener());
                topicListener = id;
                unregister.add(() -> topic.removeMessageListener(id));
            }
            subscribers.add(listener);
        }
        return () -> subscribers.remove(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flushStats();
        } catch (RuntimeException e) {
            log.debug("statistics not flushed at close", e);
        }
        closed = true;
        scheduler.shutdownNow();
        for (Runnable r : unregister) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.debug("listener not removed", e);
            }
        }
        waiters.values().forEach(Waiter::signal);
        subscribers.clear();
    }

    // =================================================================== listeners

    private final class AgentListener implements EntryAddedListener<String, AgentRecord>,
            EntryUpdatedListener<String, AgentRecord> {
        @Override
        public void entryAdded(EntryEvent<String, AgentRecord> event) {
            changed(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, AgentRecord> event) {
            changed(event.getValue());
        }

        private void changed(AgentRecord record) {
            AgentEntry entry = view.applyAgent(record);
            Long mine = madeHere.get(record.id());
            if (entry != null && entry.isReady() && (mine == null || mine != record.version())) {
                requestDispatch(entry.id());
            }
        }
    }

    private final class CallListener implements EntryAddedListener<String, CallRecord>,
            EntryUpdatedListener<String, CallRecord>, EntryRemovedListener<String, CallRecord>,
            EntryEvictedListener<String, CallRecord>, EntryExpiredListener<String, CallRecord> {
        @Override
        public void entryAdded(EntryEvent<String, CallRecord> event) {
            onCallRecord(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, CallRecord> event) {
            onCallRecord(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }

        @Override
        public void entryEvicted(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }

        @Override
        public void entryExpired(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }
    }

    private final class QueueListener implements EntryAddedListener<String, QueueEntry>,
            EntryUpdatedListener<String, QueueEntry>, EntryRemovedListener<String, QueueEntry> {
        @Override
        public void entryAdded(EntryEvent<String, QueueEntry> event) {
            view.applyQueue(event.getValue().definition());
        }

        @Override
        public void entryUpdated(EntryEvent<String, QueueEntry> event) {
            view.applyQueue(event.getValue().definition());
        }

        @Override
        public void entryRemoved(EntryEvent<String, QueueEntry> event) {
            view.removeQueue(event.getKey());
        }
    }

    private final class EventListener implements MessageListener<EventEnvelope> {
        @Override
        public void onMessage(Message<EventEnvelope> message) {
            RoutingEvent event = message.getMessageObject().event();
            for (Consumer<? super RoutingEvent> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    log.warn("routing event subscriber failed on {}", event, e);
                }
            }
        }

    }
}
