package dev.ivr.routing.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A part of {@link HazelcastRoutingService}: the shared state under the names the code had in one class, and the
 * calls to the other parts (each overridden by the part that owns it), so that moved code reads as before.
 */
abstract class RoutingPart {
    static final Logger log = LoggerFactory.getLogger(RoutingService.class);
    static final String RESERVATION_EXPIRED = "reservation-expired";

    final RoutingContext ctx;
    final HazelcastInstance hazelcast;
    final RoutingOptions options;
    final String nodeId;
    final IMap<String, AgentRecord> agentMap;
    final IMap<String, CallRecord> callMap;
    final IMap<String, QueueEntry> queueMap;
    final IMap<String, QueueStatsRecord> statsMap;
    final LocalView view;
    final long ttlMillis;
    final ScheduledExecutorService scheduler;
    final ConcurrentHashMap<String, Waiter> waiters;
    final List<Runnable> unregister;
    final ConcurrentHashMap<String, Long> madeHere;

    RoutingPart(RoutingContext ctx) {
        this.ctx = ctx;
        this.hazelcast = ctx.hazelcast;
        this.options = ctx.options;
        this.nodeId = ctx.nodeId;
        this.agentMap = ctx.agentMap;
        this.callMap = ctx.callMap;
        this.queueMap = ctx.queueMap;
        this.statsMap = ctx.statsMap;
        this.view = ctx.view;
        this.ttlMillis = ctx.ttlMillis;
        this.scheduler = ctx.scheduler;
        this.waiters = ctx.waiters;
        this.unregister = ctx.unregister;
        this.madeHere = ctx.madeHere;
    }

    long now() {
        return ctx.now();
    }

    // cluster plumbing (RoutingContext)

    AgentResult agentCommand(String agentId, AgentCommand command) {
        return ctx.agentCommand(agentId, command);
    }

    CallResult callCommand(String callId, CallCommand command) {
        return ctx.callCommand(callId, command);
    }

    void onCallRecord(CallRecord record) {
        ctx.onCallRecord(record);
    }

    void onCallRemoved(CallRecord record) {
        ctx.onCallRemoved(record);
    }

    void guarded(Runnable task) {
        ctx.guarded(task);
    }

    void submit(Runnable task) {
        ctx.submit(task);
    }

    boolean isOldestMember() {
        return ctx.isOldestMember();
    }

    // events (Events)

    void publish(RoutingEvent event) {
        ctx.events.publish(event);
    }

    void publishStateChange(AgentResult r, String callId) {
        ctx.events.publishStateChange(r, callId);
    }

    // queue figures (QueueFigures)

    void recordStats(String queueId, long now, int[] counters, long[] deltas) {
        ctx.figures.recordStats(queueId, now, counters, deltas);
    }

    void flushStats() {
        ctx.figures.flushStats();
    }

    // dispatch (Dispatch)

    boolean offerCall(String callId) {
        return ctx.dispatch.offerCall(callId);
    }

    AgentRecord offerAgent(String agentId) {
        return ctx.dispatch.offerAgent(agentId);
    }

    void dispatchOwnedCalls(boolean all) {
        ctx.dispatch.dispatchOwnedCalls(all);
    }

    void requestDispatch(String agentId) {
        ctx.dispatch.requestDispatch(agentId);
    }

    // calls and reservations (Calls, Reservations)

    void freeAgent(String agentId, String callId, long now) {
        ctx.calls.freeAgent(agentId, callId, now);
    }

    void requeue(String callId, String agentId, String reason, long now) {
        ctx.reservations.requeue(callId, agentId, reason, now);
    }

    // maintenance (Maintenance)

    void maintain() {
        ctx.maintenance.maintain();
    }

    void cleanUpDepartedOwners() {
        ctx.maintenance.cleanUpDepartedOwners();
    }
}
