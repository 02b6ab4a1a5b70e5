package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;

/** A call's life in its queue on the node that owns it: queued, waiting for an agent, its position, cancelled. */
final class Calls extends RoutingPart {
    Calls(RoutingContext ctx) {
        super(ctx);
    }

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
        return ctx.figures.positionOf(current != null ? current : new CallEntry(record, null), now());
    }

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
            CallEntry call = queued(callId, waiter);
            if (call == null) {
                waiters.remove(callId, waiter);
                return new WaitResult.Removed("not queued");
            }
            long now = now();
            CallRecord record = call.record;
            QueueRules rules = view.queue(record.queueId());
            if (offerHolds(record, now)) {
                return new WaitResult.Offered(reservation(record, rules));
            }
            long waitLeft = maxWaitLeft(record, rules, now);
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
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new WaitResult.Waiting(ctx.figures.positionOf(call, now));
            }
            waiter.await(seen, Math.min(remaining, Waiter.toNanos(waitLeft)));
        }
    }

    /** See {@link dev.ivr.routing.RoutingService#whenNotWaiting}: a {@link #watchWaiting} that completes it. */
    public CompletableFuture<Void> whenNotWaiting(String callId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RoutingService.Watch watch = watchWaiting(callId, () -> done.complete(null));
        done.whenComplete((v, e) -> watch.close());
        return done;
    }

    /** See {@link dev.ivr.routing.RoutingService#watchWaiting}: a listener on the call's waiter, no thread. */
    public RoutingService.Watch watchWaiting(String callId, Runnable then) {
        Waiter waiter = waiters.get(callId);
        Watch watch = new Watch(callId, waiter, then);
        if (waiter == null) {
            watch.fire();
            return watch;
        }
        CallEntry call = view.call(callId);
        long left = call == null ? Long.MAX_VALUE : maxWaitLeft(call.record, view.queue(call.record.queueId()), now());
        if (left != Long.MAX_VALUE) {
            watch.timer = timer(watch::fire, Math.max(0, left));
        }
        watch.run();
        return watch;
    }

    /**
     * Runs {@code action} after {@code millis} on the routing thread, whose scheduler forgets a cancelled timer at
     * once and is woken only by a timer due before all the others (where {@code completeOnTimeout}'s delay scheduler,
     * JDK 25, wakes its thread for every timer set and every timer cancelled); null when the routing is closed.
     */
    private ScheduledFuture<?> timer(Runnable action, long millis) {
        try {
            return scheduler.schedule(action, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the node is stopping: no timer; the caller's own wait ends
        }
    }

    /** Runs its action at the first change of the call after which {@link #awaitAgent} would not wait. */
    private final class Watch implements Runnable, RoutingService.Watch {
        private static final int WATCHING = 0;
        private static final int FIRED = 1;
        private static final int CLOSED = 2;
        final String callId;
        final Waiter waiter;
        final Runnable then;
        final AtomicInteger state = new AtomicInteger(WATCHING);
        volatile ScheduledFuture<?> timer;

        Watch(String callId, Waiter waiter, Runnable then) {
            this.callId = callId;
            this.waiter = waiter;
            this.then = then;
        }

        /** The waiter's listener: looks at the call, and listens again while it still waits. */
        @Override
        public void run() {
            while (state.get() == WATCHING) {
                long seen = waiter.signals();
                if (!waiting(callId, waiter)) {
                    fire();
                    return;
                }
                if (waiter.onSignalAfter(seen, this)) {
                    return;
                }
            }
        }

        void fire() {
            if (state.compareAndSet(WATCHING, FIRED)) {
                forget();
                then.run();
            }
        }

        @Override
        public boolean fired() {
            return state.get() == FIRED;
        }

        @Override
        public void close() {
            if (state.compareAndSet(WATCHING, CLOSED)) {
                forget();
            }
        }

        private void forget() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            if (waiter != null) {
                waiter.remove(this);
            }
        }
    }

    /**
     * What {@link #awaitAgent} checks before it waits, without its side effects: the call is still queued here in
     * the same incarnation and no offer of it holds. (Its maximum wait is {@link #whenNotWaiting}'s timeout.)
     */
    private boolean waiting(String callId, Waiter waiter) {
        if (waiters.get(callId) != waiter) {
            return false;
        }
        CallEntry call = queued(callId, waiter);
        return call != null && !offerHolds(call.record, now());
    }

    /** The call's entry while it is queued in the waiter's incarnation; null once it left (or came back as another). */
    private CallEntry queued(String callId, Waiter waiter) {
        CallEntry call = view.call(callId);
        return call == null || call.record.incarnation() != waiter.incarnation ? null : call;
    }

    /** Whether the call is offered and the offer holds: within the reservation's time to live. */
    private boolean offerHolds(CallRecord record, long now) {
        return record.isOffered() && now < record.offeredAt() + ttlMillis;
    }

    /**
     * How long the call may still wait before its queue's maximum wait, in milliseconds ({@code <= 0}: reached);
     * {@link Long#MAX_VALUE} when the queue has none, or the call is offered (an offer, even one past its time to
     * live, is not cut by the maximum wait).
     */
    private static long maxWaitLeft(CallRecord record, QueueRules rules, long now) {
        if (record.isOffered() || rules == null || rules.maxWaitMillis == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return record.enqueuedAt() + rules.maxWaitMillis - now;
    }

    private Reservation reservation(CallRecord record, QueueRules rules) {
        Duration ring = rules == null ? Duration.ofSeconds(20) : rules.definition.ringTime();
        return new Reservation(record.callId(), record.queueId(), record.agentId(), record.agentName(),
                record.endpoint(), record.offers(), Instant.ofEpochMilli(record.offeredAt()), ring);
    }

    public Optional<QueuePosition> position(String callId) {
        CallEntry call = view.call(callId);
        return call == null ? Optional.empty() : Optional.of(ctx.figures.positionOf(call, now()));
    }

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

    /**
     * The call is taken back by the server that queued it (a campaign preview the agent skipped): it leaves the queue
     * without counting as abandoned, and an agent it was offered to becomes ready again.
     */
    public boolean withdraw(String callId) {
        long now = now();
        CallEntry known = view.call(callId);
        CallResult r = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE, null, now));
        String agentId = r.applied() ? r.before().agentId() : known == null ? null : known.record.agentId();
        if (agentId != null) {
            freeAgent(agentId, callId, now);
        }
        return r.applied();
    }

    /** Releases an agent reserved for a call that is gone, and gives the agent its next call. */
    @Override
    void freeAgent(String agentId, String callId, long now) {
        AgentResult a = agentCommand(agentId, AgentCommand.forCall(AgentCommand.Op.RELEASE, callId, now));
        if (a.applied()) {
            publishStateChange(a, callId);
            if (a.record().state() == AgentState.READY) {
                offerAgent(agentId);
            }
        }
    }
}
