package dev.ivr.routing.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of {@link HazelcastRoutingService} share: the cluster's maps, this node's {@link LocalView}, the
 * routing thread, the waiting calls of this node; and the cluster plumbing every part uses (commands on an agent's
 * or a call's entry applied to the view at once, tasks on the routing thread guarded against a closed cluster).
 */
final class RoutingContext {
    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);

    final HazelcastInstance hazelcast;
    final RoutingOptions options;
    final Clock clock;
    final String nodeId;
    final IMap<String, AgentRecord> agentMap;
    final IMap<String, CallRecord> callMap;
    final IMap<String, QueueEntry> queueMap;
    final IMap<String, QueueStatsRecord> statsMap;
    final LocalView view = new LocalView();
    final long ttlMillis;
    final ScheduledExecutorService scheduler;
    final ConcurrentHashMap<String, Waiter> waiters = new ConcurrentHashMap<>();
    final List<Runnable> unregister = new CopyOnWriteArrayList<>();
    /** Last agent version this node's own commands produced: this node already matched those agents. */
    final ConcurrentHashMap<String, Long> madeHere = new ConcurrentHashMap<>();
    volatile boolean closed;
    // the parts, wired once by HazelcastRoutingService.start
    Events events;
    QueueFigures figures;
    Dispatch dispatch;
    Calls calls;
    Reservations reservations;
    Maintenance maintenance;

    RoutingContext(HazelcastInstance hazelcast, RoutingOptions options) {
        this.hazelcast = hazelcast;
        this.options = options;
        this.clock = options.clock();
        this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.agentMap = hazelcast.getMap(options.name() + ".agents");
        this.callMap = hazelcast.getMap(options.name() + ".calls");
        this.queueMap = hazelcast.getMap(options.name() + ".queues");
        this.statsMap = hazelcast.getMap(options.name() + ".stats");
        this.ttlMillis = options.reservationTtl().toMillis();
        ScheduledThreadPoolExecutor routingThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ivr-routing-" + options.name());
            t.setDaemon(true);
            return t;
        });
        routingThread.setRemoveOnCancelPolicy(true); // the waiting calls' timers, mostly cancelled: not kept until due
        this.scheduler = routingThread;
    }

    long now() {
        return clock.millis();
    }

    AgentResult agentCommand(String agentId, AgentCommand command) {
        AgentResult r = agentMap.executeOnKey(agentId, command);
        if (r.record() != null) {
            if (r.applied()) {
                madeHere.put(agentId, r.record().version());
            }
            view.applyAgent(r.record());
        }
        return r;
    }

    CallResult callCommand(String callId, CallCommand command) {
        CallResult r = callMap.executeOnKey(callId, command);
        if (r.after() != null) {
            onCallRecord(r.after());
        } else if (r.applied() && r.before() != null) {
            onCallRemoved(r.before());
        }
        return r;
    }

    void onCallRecord(CallRecord record) {
        if (view.applyCall(record) != null) {
            Waiter waiter = waiters.get(record.callId());
            if (waiter != null) {
                waiter.signal();
            }
        }
    }

    void onCallRemoved(CallRecord record) {
        view.removeCall(record);
        Waiter waiter = waiters.get(record.callId());
        if (waiter != null && waiter.incarnation == record.incarnation()) {
            waiters.remove(record.callId(), waiter);
            waiter.signal();
        }
    }

    void guarded(Runnable task) {
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

    void submit(Runnable task) {
        try {
            scheduler.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            log.debug("routing closed, task dropped");
        }
    }

    boolean isOldestMember() {
        Set<Member> members = hazelcast.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }
}
