package dev.ivr.server.routing;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.callback.CallbackService;
import dev.ivr.server.callback.CallbackStore;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.logging.LogText;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.routing.CallbackEntry.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Callbacks, owned by the cluster: each is an entry of the map {@code <routing name>.callbacks} (by default
 * {@code ivr.routing.callbacks}, with the map's backups) and a row of
 * the database ({@link CallbackStore}), and is waited for by the one node that has claimed it. A claim is a lease,
 * renewed every {@link Settings#sweep()} by its node; when that node leaves the cluster (or its lease runs out) the
 * node that holds the entry's partition claims it, takes over its place in the queue ({@link RoutingService#adopt})
 * and goes on waiting for an agent. Scheduled callbacks and retries are claimed by that same sweep when due.
 *
 * <p>When an agent is reserved the owner builds the context, pops it on the agent's desktop, marks the callback
 * {@code DIALING} in the cluster, and only then asks the PBX to ring the agent first (AMI Originate); the agent
 * answering makes the dialplan's callback context dial the customer. A callback found {@code DIALING} or
 * {@code CONNECTED} by a node that takes it over is never dialled again: the PBX has the call. The dialplan's
 * {@code callback-result} report ({@link CallbackReports}) says whether the customer answered; busy, no answer and
 * the like schedule a retry after {@link Settings#retryDelay()}, up to {@link Settings#maxAttempts()} calls.
 * Each callback leaves its own interaction record, {@code <callId>-callback}.
 */
final class CallbackDispatcher implements CallbackService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);
    /** The longest a callback conversation is followed when its hang-up is never reported. */
    private static final Duration MAX_TALK = Duration.ofHours(12);
    /** Priority of a callback queued again (maximum wait, retry, queue place lost): it had waited longest. */
    static final int REQUEUE_PRIORITY = 100;
    /** Finished callbacks stay listed in the cluster this long (the database keeps them). */
    private static final Duration KEEP_FINISHED = Duration.ofHours(1);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A callback confirmed by a waiting caller: the call is in the queue, owned by this node. */
    record Callback(RouteRequest request, CallRequest call, String number, Instant enqueuedAt, Instant requestedAt,
                    String pbx) {
        String callId() {
            return request.callId();
        }
    }

    /**
     * @param expiry      how long a callback keeps its place before it is given up
     * @param maxAttempts calls to the customer at most (busy, no answer: tried again)
     * @param retryDelay  the wait before the next try
     * @param lease       how long a claim holds without renewal
     * @param sweep       how often claims are renewed and due or orphaned callbacks are claimed
     */
    record Settings(Duration expiry, int maxAttempts, Duration retryDelay, Duration lease, Duration sweep) {
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
    private final Settings settings;
    private final Clock clock;
    private final String nodeName;
    private final HazelcastInstance hazelcast;
    private final IMap<String, CallbackEntry> map;
    private final CallbackStore store;
    private final Function<RouteRequest, CallRequest> callRequests;
    private final Set<String> queues;
    private final String nodeId;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    /** Callbacks being booked on this node ({@link #adopt}): not yet running, not orphans either. */
    private final Set<String> adopting = ConcurrentHashMap.newKeySet();
    /** Versions the database has not taken yet (it was down): written again at the next sweep. */
    private final Map<String, CallbackEntry> unsaved = new ConcurrentHashMap<>();
    /** Finished callbacks of dead owners this node wrote to the database again (once each). */
    private final Set<String> resavedFinal = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private volatile boolean closed;

    CallbackDispatcher(RoutingService router, Originator originator, Offers offers, ContextFactory contexts,
                       CallContexts callContexts, ContextTokens tokens, ScreenPops screenPops, CrmStore crm,
                       String callbackContext, Settings settings, Clock clock, String nodeName, HazelcastInstance hazelcast,
                       String mapName, CallbackStore store, Function<RouteRequest, CallRequest> callRequests, Set<String> queues) {
        this.router = router;
        this.originator = originator;
        this.offers = offers;
        this.contexts = contexts;
        this.callContexts = callContexts;
        this.tokens = tokens;
        this.screenPops = screenPops;
        this.crm = crm;
        this.callbackContext = callbackContext;
        this.settings = settings;
        this.clock = clock;
        this.nodeName = nodeName;
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(mapName);
        this.store = store;
        this.callRequests = callRequests;
        this.queues = Set.copyOf(queues);
        this.nodeId = router.nodeId();
        loadFromDatabase();
        this.sweeper = BackgroundThreads.start("callback-sweep", this::sweepLoop);
    }

    /** Whether callbacks can be placed now. */
    boolean available() {
        return !closed && originator != null && originator.available();
    }

    /** Callbacks this node is waiting for. */
    int pending() {
        return running.size();
    }

    private long now() {
        return clock.millis();
    }

    // ------------------------------------------------------------------ booking and the API

    /** Takes over a queued call whose caller confirmed a callback: the cluster owns it from now on. */
    void adopt(Callback cb) {
        long now = now();
        CallbackEntry e = new CallbackEntry(cb.callId(), cb.request(), cb.number(), State.WAITING, now,
                cb.requestedAt().toEpochMilli(), cb.enqueuedAt().toEpochMilli(), 0, settings.maxAttempts(), nodeId,
                now + settings.lease().toMillis(), null, now, 1, cb.pbx());
        // until its thread is running (and so in `running`), the sweep must not take the entry for an orphan: the
        // database write between can outlast the lease (a slow or cut database), and a sweep that claimed it then
        // found the call still queued here, handed the claim back (owner none), and the waiting thread, started
        // after, lost its claim at its first renewal: the call stayed queued with nobody waiting for its offers
        adopting.add(e.id());
        try {
            if (!swap(0, e)) {
                LOG.warn("callback {} is booked already: kept as it is", LogText.callId(cb.callId()));
                return;
            }
            persist(e);
            start(e);
        } finally {
            adopting.remove(e.id());
        }
    }

    @Override
    public StoredCallback schedule(String number, String queue, Instant dueAt, int priority, String customerId,
                                   String language) {
        if (originator == null) {
            throw new IllegalArgumentException("callbacks need the manager interface (ami.enabled)");
        }
        if (!queues.contains(queue)) {
            throw new IllegalArgumentException("no queue '" + queue + "' is configured");
        }
        if (number == null || !number.matches("\\+?[0-9]{2,20}")) {
            throw new IllegalArgumentException("number must be 2 to 20 digits, optionally after +");
        }
        String id = "cb-" + UUID.randomUUID();
        long now = now();
        RouteRequest req = new RouteRequest(id, "api", "callback", number, queue, Map.of(), priority, Map.of(),
                settings.expiry(), null, Set.of(), customerId, language, RouteRequest.Journey.NONE, null);
        var unused = callRequests.apply(req); // only its checks of skills and language count here
        long due = dueAt == null ? now : dueAt.toEpochMilli();
        CallbackEntry e = new CallbackEntry(id, req, number, State.SCHEDULED, due, now, 0, 0, settings.maxAttempts(), null,
                0, null, now, 1, null);
        swap(0, e);
        persist(e);
        LOG.info("callback {} to {} scheduled in queue {} for {}", id, number, queue, Instant.ofEpochMilli(due));
        return stored(e);
    }

    @Override
    public List<StoredCallback> list() {
        List<StoredCallback> out = new ArrayList<>();
        for (CallbackEntry e : map.values()) {
            out.add(stored(e));
        }
        out.sort(Comparator.comparing(StoredCallback::dueAt).thenComparing(StoredCallback::id));
        return out;
    }

    @Override
    public Cancel cancel(String id) {
        for (int i = 0; i < 10; i++) {
            CallbackEntry e = map.get(id);
            if (e == null) {
                return Cancel.NOT_FOUND;
            }
            if (e.state().isFinal()) {
                return Cancel.ALREADY_OVER;
            }
            if (e.state() == State.DIALING || e.state() == State.CONNECTED) {
                return Cancel.DIALING;
            }
            CallbackEntry next = e.with(State.CANCELLED, "cancelled", now());
            if (swap(e.version(), next)) {
                persist(next);
                router.cancel(id); // leaves the queue; its owner's wait ends
                LOG.info("callback {} to {} cancelled", id, e.number());
                return Cancel.CANCELLED;
            }
        }
        throw new IllegalStateException("callback " + id + " changes too fast to be cancelled");
    }

    // ------------------------------------------------------------------ the cluster map

    private boolean swap(long expectedVersion, CallbackEntry next) {
        return map.executeOnKey(next.id(), new CallbackEntry.Swap(expectedVersion, next));
    }

    /**
     * Changes an entry while this node owns it ({@code mine}) or whoever owns it; answers the new entry, or null
     * when it is gone, owned by another node, or {@code change} answers null.
     */
    CallbackEntry update(String id, boolean mine, UnaryOperator<CallbackEntry> change) {
        return update(id, mine, change, true);
    }

    /** As {@link #update(String, boolean, UnaryOperator)}; {@code persist} false for lease renewals (cluster only). */
    private CallbackEntry update(String id, boolean mine, UnaryOperator<CallbackEntry> change, boolean persist) {
        for (int i = 0; i < 20; i++) {
            CallbackEntry e = map.get(id);
            if (e == null || mine && !nodeId.equals(e.owner())) {
                return null;
            }
            CallbackEntry next = change.apply(e);
            if (next == null) {
                return null;
            }
            if (swap(e.version(), next)) {
                if (persist) {
                    persist(next);
                }
                return next;
            }
        }
        return null;
    }

    CallbackEntry get(String id) {
        return map.get(id);
    }

    private void persist(CallbackEntry e) {
        try {
            if (!store.save(stored(e))) {
                LOG.debug("callback {}: the table holds a version newer than {} already", e.id(), e.version());
            }
            unsaved.remove(e.id(), e);
        } catch (RuntimeException x) {
            unsaved.merge(e.id(), e, (a, b) -> a.version() >= b.version() ? a : b);
            LOG.warn("callback {} kept in the cluster only for now: {}", e.id(), x.getMessage());
        }
    }

    private StoredCallback stored(CallbackEntry e) {
        String request;
        try {
            request = JSON.writeValueAsString(e.request());
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
        return new StoredCallback(e.id(), e.request().callId(), e.number(), e.queue(), e.state().name(),
                Instant.ofEpochMilli(e.dueAt()), Instant.ofEpochMilli(e.requestedAt()),
                e.enqueuedAt() == 0 ? null : Instant.ofEpochMilli(e.enqueuedAt()), e.attempts(), e.owner(), e.reason(),
                request, Instant.ofEpochMilli(e.updatedAt()), e.pbx(), e.version());
    }

    /** After a restart of the whole cluster: the open callbacks come back from the database, unowned. */
    private void loadFromDatabase() {
        if (!map.isEmpty()) {
            return;
        }
        List<StoredCallback> open;
        try {
            open = store.open();
        } catch (RuntimeException e) {
            LOG.warn("open callbacks not read from the database: {}", e.getMessage());
            return;
        }
        for (StoredCallback s : open) {
            try {
                RouteRequest req = JSON.readValue(s.request(), RouteRequest.class);
                CallbackEntry e = new CallbackEntry(s.id(), req, s.number(), State.valueOf(s.state()),
                        s.dueAt().toEpochMilli(), s.requestedAt().toEpochMilli(),
                        s.enqueuedAt() == null ? 0 : s.enqueuedAt().toEpochMilli(), s.attempts(), settings.maxAttempts(),
                        null, 0, s.reason(), s.updatedAt().toEpochMilli(), Math.max(1, s.version()), s.pbx());
                map.putIfAbsent(s.id(), e);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException x) {
                LOG.warn("callback {} in the database not readable: {}", s.id(), x.getMessage());
            }
        }
        if (!open.isEmpty()) {
            LOG.info("{} open callback(s) loaded from the database", open.size());
        }
    }

    // ------------------------------------------------------------------ claims

    private void sweepLoop() {
        while (!closed) {
            try {
                Thread.sleep(settings.sweep().toMillis());
                sweep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("callback sweep failed: {}", e.toString());
                }
            }
        }
    }

    /** Renews this node's claims, then claims what is due or orphaned among the entries this member holds. */
    void sweep() {
        long now = now();
        long lease = settings.lease().toMillis();
        for (String id : running.keySet()) {
            // a renewal changes only the lease: the database is not written every second per callback
            if (update(id, true, e -> e.state().isFinal() ? null : e.claimedBy(nodeId, now + lease, now), false) == null) {
                CallbackEntry e = map.get(id);
                if (e == null || !e.state().isFinal() && !nodeId.equals(e.owner())) {
                    LOG.warn("callback {}: this node lost its claim: it stops waiting for it", id);
                    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap's key set: safe
                    Thread t = running.remove(id);
                    if (t != null) {
                        t.interrupt();
                    }
                }
            }
        }
        unsaved.values().forEach(this::persist);
        if (map.getLocalMapStats().getOwnedEntryCount() == 0) {
            // nothing held here (most servers, most of the time): the key set is a query sent to every partition
            // (an eighth of an idle server's CPU samples on Java threads at one sweep a second: docs/benchmarks.md,
            // bg26); the count walks the member's own record stores, at half that cost
            return;
        }
        Set<String> members = new java.util.HashSet<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            members.add(m.getUuid().toString());
        }
        for (String id : map.localKeySet()) {
            CallbackEntry e = map.get(id);
            if (e == null || running.containsKey(id) || adopting.contains(id)) {
                continue;
            }
            if (e.state().isFinal()) {
                if (now - e.updatedAt() > KEEP_FINISHED.toMillis()) {
                    map.delete(id);
                    resavedFinal.remove(id);
                } else if (now - e.updatedAt() > settings.sweep().toMillis() && resavedFinal.add(id)) {
                    // the final state is written once more by the member that holds the entry: the node that finished
                    // it may have died with its save still waiting for the database (kept for a retry in its memory
                    // only), whether it owned the callback or not (a cancellation through another node's API). The
                    // row takes it only if it holds no newer version: when the first save landed, nothing changes
                    persist(e);
                }
                continue;
            }
            boolean orphan = e.owner() == null || !members.contains(e.owner()) || e.leaseUntil() < now;
            if (!orphan || e.state() == State.SCHEDULED && e.dueAt() > now) {
                continue;
            }
            CallbackEntry claimed = e.claimedBy(nodeId, now + lease, now);
            if (!swap(e.version(), claimed)) {
                continue;
            }
            persist(claimed);
            takeOver(claimed, e.owner(), e.owner() == null || !members.contains(e.owner()));
        }
    }

    /** @param ownerGone whether the previous owner left the cluster (not only let its lease run out) */
    private void takeOver(CallbackEntry e, String previousOwner, boolean ownerGone) {
        String id = e.id();
        switch (e.state()) {
            case SCHEDULED -> {
                if (enqueue(e, false)) {
                    CallbackEntry q = update(id, true, x -> x.queued(now(), now()));
                    if (q != null) {
                        LOG.info("callback {} to {} is due: queued in {}", id, e.number(), e.queue());
                        start(q);
                    }
                }
            }
            case WAITING -> {
                if (router.adopt(id).isPresent()) {
                    LOG.info("callback {} taken over from node {}: it keeps its place in queue {}", id, previousOwner,
                            e.queue());
                    start(e);
                } else if (router.position(id).isPresent()) {
                    // still in the queue with a node that has not left yet: tried again at the next sweep
                    update(id, true, x -> x.claimedBy(null, 0, now()));
                } else if (enqueue(e, true)) {
                    LOG.warn("callback {} taken over from node {}: its place in queue {} was lost, queued again first",
                            id, previousOwner, e.queue());
                    start(e);
                }
            }
            case DIALING -> {
                if (ownerGone) {
                    dialAgainUnlessPlaced(e, previousOwner);
                } else {
                    nodeLost(e, previousOwner);
                }
            }
            case CONNECTED -> nodeLost(e, previousOwner);
            default -> {
            }
        }
    }

    /**
     * A callback whose owner left the cluster while it was {@code DIALING}: the owner may have died before its
     * Originate reached the PBX. The PBX is asked for a channel carrying the callback's {@code IVR_CALL_ID} (set by
     * that Originate on the agent's channel, from the moment it rings): none, and the callback is queued again,
     * first in line, and dialled once more; one, and the PBX has the call (not dialled again, as before). When the
     * PBX cannot be asked, or the dead owner's offer is still in the queue, it is tried again at the next sweep
     * (until the callback's expiry: then it is given up as "node lost").
     */
    private void dialAgainUnlessPlaced(CallbackEntry e, String previousOwner) {
        String id = e.id();
        boolean expired = now() >= e.requestedAt() + settings.expiry().toMillis();
        if (!expired && router.position(id).isPresent()) {
            // the dead node's offer is still in the queue: routing removes it (and frees the agent) shortly
            update(id, true, x -> x.claimedBy(null, 0, now()));
            return;
        }
        Optional<Boolean> placed;
        try {
            placed = originator == null ? Optional.of(false) : originator.hasChannel(AgentLeg.CALL_ID, id);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            update(id, true, y -> y.claimedBy(null, 0, now()));
            return;
        }
        if (placed.isEmpty() && !expired) {
            LOG.warn("callback {}: node {} was lost while dialling it and the PBX cannot be asked now whether it placed"
                    + " the call: asked again shortly", id, previousOwner);
            update(id, true, x -> x.claimedBy(null, 0, now()));
            return;
        }
        if (placed.orElse(true)) {
            nodeLost(e, previousOwner);
            return;
        }
        CallbackEntry back = update(id, true, x -> x.state() == State.DIALING
                ? x.with(State.WAITING, "node lost before the PBX rang the agent: dialled again", now()) : null);
        if (back != null && enqueue(back, true)) {
            LOG.warn("callback {}: node {} was lost before the PBX rang the agent (no channel with its {}): queued "
                    + "again first in line, to be dialled once", id, previousOwner, AgentLeg.CALL_ID);
            start(back);
        }
    }

    /** The PBX has (or may have) the call: never asked twice; the dialplan's report (if any) ends it. */
    private void nodeLost(CallbackEntry e, String previousOwner) {
        String id = e.id();
        CallbackEntry done = update(id, true, x -> x.state() != State.DIALING && x.state() != State.CONNECTED ? null
                : x.with(State.DONE, "node lost during the call: the PBX placed it, its outcome is unknown", now()));
        LOG.warn("callback {}: node {} was lost while its agent was rung or talking: not dialled again", id,
                previousOwner);
        if (done != null) {
            record(done, null, null, null, Interaction.Outcome.FAILED, "node-lost");
        }
    }

    private boolean enqueue(CallbackEntry e, boolean first) {
        CallRequest base = callRequests.apply(e.request());
        CallRequest call = new CallRequest(base.callId(), base.queueId(), base.requiredSkills(), base.language(),
                first || e.attempts() > 0 ? REQUEUE_PRIORITY : base.priority(), base.preferredAgentId());
        try {
            router.enqueue(call);
            return true;
        } catch (RoutingException x) {
            if (x.reason() == RoutingException.Reason.DUPLICATE_CALL && router.adopt(e.id()).isPresent()) {
                return true;
            }
            LOG.error("callback {} not queued: {}", e.id(), x.getMessage());
            CallbackEntry failed = update(e.id(), true, y -> y.with(State.FAILED, "not queued: " + x.getMessage(), now()));
            if (failed != null) {
                record(failed, null, null, null, Interaction.Outcome.FAILED, "not-queued");
            }
            return false;
        }
    }

    // ------------------------------------------------------------------ waiting and dialling

    private void start(CallbackEntry e) {
        Thread t = Thread.ofVirtual().name("callback-" + LogText.callId(e.id())).unstarted(() -> run(e));
        if (running.putIfAbsent(e.id(), t) == null) {
            t.start();
        }
    }

    private void run(CallbackEntry cb) {
        String id = cb.id();
        MDC.put("call", LogText.callId(id));
        LOG.info("callback to {} waits in queue {}", cb.number(), cb.queue());
        try {
            Instant expires = Instant.ofEpochMilli(cb.requestedAt()).plus(settings.expiry());
            while (!closed) {
                Duration left = Duration.between(clock.instant(), expires);
                if (left.isNegative() || left.isZero()) {
                    router.cancel(id);
                    LOG.warn("callback to {} given up: no agent within {}", cb.number(), settings.expiry());
                    finish(id, State.FAILED, "expired", null, null, null, Interaction.Outcome.FAILED);
                    return;
                }
                WaitResult w = router.awaitAgent(id, left.compareTo(Duration.ofSeconds(30)) < 0 ? left
                        : Duration.ofSeconds(30));
                switch (w) {
                    case WaitResult.Offered o -> {
                        if (dispatch(id, o.reservation())) {
                            return;
                        }
                    }
                    case WaitResult.MaxWaitReached m -> {
                        // a callback is not sent elsewhere at the queue's maximum wait: it keeps the head of the line
                        CallbackEntry now = map.get(id);
                        if (now == null || !enqueue(now, true)) {
                            return;
                        }
                        LOG.info("callback reached the queue's maximum wait ({}): queued again first in line", m.waited());
                    }
                    case WaitResult.Removed x -> {
                        CallbackEntry now = map.get(id);
                        if (now == null || now.state() == State.CANCELLED || !nodeId.equals(now.owner())) {
                            LOG.info("callback to {} left the queue: {}", cb.number(),
                                    now == null ? "gone" : now.state() == State.CANCELLED ? "cancelled" : "taken over");
                            return;
                        }
                        LOG.warn("callback to {} left the queue ({})", cb.number(), x.reason());
                        finish(id, State.FAILED, "left the queue: " + x.reason(), null, null, null,
                                Interaction.Outcome.FAILED);
                        return;
                    }
                    case WaitResult.Waiting x -> {
                        // keep waiting
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (closed) {
                // the server stops: the claim is given back, another node takes the callback and its place over
                try {
                    update(id, true, x -> x.claimedBy(null, 0, now()));
                    LOG.info("callback to {} handed back to the cluster: this server stops", cb.number());
                } catch (RuntimeException x) {
                    LOG.warn("callback to {} left to the cluster: {}", cb.number(), x.toString());
                }
            }
        } catch (RuntimeException e) {
            if (closed || e instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
                LOG.warn("callback to {} left to the cluster: this member is gone ({})", cb.number(), e.toString());
                return;
            }
            LOG.error("callback to {} failed: {}", cb.number(), e.toString());
            try {
                router.cancel(id);
                finish(id, State.FAILED, e.toString(), null, null, null, Interaction.Outcome.FAILED);
            } catch (RuntimeException x) {
                LOG.error("callback to {}: its failure not recorded: {}", cb.number(), x.toString());
            }
        } finally {
            running.remove(id, Thread.currentThread());
            MDC.remove("call");
        }
    }

    /** @return true when the callback is done (the agent answered and the call ended, or the claim was lost) */
    private boolean dispatch(String id, Reservation r) throws InterruptedException {
        CallbackEntry cb = update(id, true, e -> e.state() == State.WAITING ? e.dialing(now()) : null);
        if (cb == null) {
            LOG.warn("callback {}: no longer this node's to dial: offer released", id);
            failed(r, "callback-taken-over");
            return true;
        }
        CallContext ctx = contexts.build(cb.request(), r, Instant.ofEpochMilli(cb.enqueuedAt()), clock.instant(), true);
        callContexts.put(ctx);
        offers.put(Offers.Offer.of(r, Offers.Mode.CALLBACK, nodeName));
        screenPops.offered(r.agentId(), ctx);
        if (!AgentLeg.dialable(r.endpoint())) {
            LOG.error("agent {} has an endpoint Dial cannot take: '{}'", r.agentId(), AgentLeg.clean(r.endpoint()));
            return notDialled(id, r, "invalid-endpoint");
        }
        Map<String, String> vars = new LinkedHashMap<>(AgentLeg.variables(ctx, tokens.token(id)));
        vars.put(AgentLeg.CALLBACK_NUMBER, cb.number());
        String name = ctx.customerName() == null ? "Callback" : "Callback " + AgentLeg.clean(ctx.customerName());
        CallbackEntry still = map.get(id);
        if (still == null || still.state() != State.DIALING || !nodeId.equals(still.owner())) {
            // taken over meanwhile (this node's lease ran out): the new owner decides; no Originate from here
            LOG.warn("callback {}: no longer this node's before the agent was rung: offer released", id);
            failed(r, "callback-taken-over");
            return true;
        }
        Originator.Result result;
        try {
            if (originator == null) {
                throw new Originator.OriginateException("no manager interface (ami.enabled is false)", null);
            }
            LOG.info("callback: ringing agent {} at {} first (offer {})", r.agentId(), r.endpoint(), r.offer());
            result = originator.originate(new Originator.Request(r.endpoint(), callbackContext, cb.number(),
                    "\"" + name.replace("\"", "") + "\" <" + cb.number() + ">", r.ringTime(), vars, cb.pbx()));
        } catch (Originator.OriginateException e) {
            LOG.error("callback: cannot ring agent {}: {}", r.agentId(), e.getMessage());
            return notDialled(id, r, "pbx-unavailable");
        }
        if (!result.answered()) {
            LOG.info("callback: agent {} did not answer ({})", r.agentId(), result.reason());
            return notDialled(id, r, result.reason());
        }
        Instant answeredAt = clock.instant();
        update(id, false, e -> e.state() == State.DIALING ? e.connected(now()) : null);
        offers.markAnswered(id, answeredAt);
        if (router.answered(r)) {
            screenPops.connected(r.agentId(), id);
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
        screenPops.ended(r.agentId(), id, "completed");
        offers.remove(id);
        Duration talk = Duration.between(answeredAt, end);
        LOG.info("callback ended after {} s", talk.toSeconds());
        CallbackEntry after = map.get(id);
        if (after != null && after.state() == State.SCHEDULED) {
            LOG.info("callback: the customer did not take the call ({}): tried again at {}", after.reason(),
                    Instant.ofEpochMilli(after.dueAt()));
            return true;
        }
        if (after != null && after.state() == State.FAILED) {
            record(after, r.agentId(), Duration.between(Instant.ofEpochMilli(cb.enqueuedAt()), answeredAt), talk,
                    Interaction.Outcome.FAILED, null);
            return true;
        }
        finish(id, State.DONE, "completed", r.agentId(), Duration.between(Instant.ofEpochMilli(cb.enqueuedAt()), answeredAt),
                talk.isNegative() ? Duration.ZERO : talk, Interaction.Outcome.ROUTED);
        return true;
    }

    /** The agent was not reached: the agent is not ready, the callback waits for the next agent. */
    private boolean notDialled(String id, Reservation r, String reason) {
        failed(r, reason);
        return update(id, true, e -> e.state() == State.DIALING ? e.with(State.WAITING, reason, now()) : null) == null;
    }

    private void failed(Reservation r, String reason) {
        router.offerFailed(r, reason);
        screenPops.ended(r.agentId(), r.callId(), reason);
        offers.remove(r.callId());
    }

    private void finish(String id, State state, String reason, String agentId, Duration wait, Duration talk,
                        Interaction.Outcome outcome) {
        CallbackEntry done = update(id, false, e -> e.state().isFinal() ? null : e.with(state, reason, now()));
        if (done != null) {
            record(done, agentId, wait, talk, outcome, null);
        }
    }

    private void record(CallbackEntry cb, String agentId, Duration wait, Duration talk, Interaction.Outcome outcome,
                        String step) {
        RouteRequest req = cb.request();
        List<String> path = new ArrayList<>(req.journey().path());
        path.add("callback");
        if (step != null) {
            path.add(step);
        }
        try {
            crm.record(new Interaction(req.callId() + "-callback", cb.number(), null, req.flow(), null,
                    Instant.ofEpochMilli(cb.requestedAt()), clock.instant(), path, req.journey().inputs(), req.customerId(),
                    req.journey().authResult(), req.queue(), agentId, wait, talk, outcome, nodeName));
        } catch (RuntimeException e) {
            LOG.error("callback interaction not recorded: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
        for (Thread t : running.values()) {
            t.interrupt();
        }
    }
}
