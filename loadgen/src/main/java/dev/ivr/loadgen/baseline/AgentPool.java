package dev.ivr.loadgen.baseline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The stock scripts' call routing, in memory, doing what ivr's router does for the load
 * scenario's callers: a waiting call is offered the longest-idle ready agent; an agent who
 * becomes ready takes the first waiting call in queue order (higher priority first, then the
 * longest waiting); after a call the agent is in wrap-up for a fixed time. Positions and the
 * estimated wait are those ivr announces: place among the calls of the same queue, and
 * position × average handle time ÷ agents staffed (the queue's default handle time until a
 * call was handled; the figures kept for 15 s, as ivr keeps them).
 */
final class AgentPool {
    /** One waiting call: {@link #offered} is set (under the pool's lock) when an agent is reserved for it. */
    static final class Waiting {
        final String callId;
        final String queue;
        final int priority;
        final long ticket;
        final long enqueuedAt;
        volatile String offered;
        /** Run (on a virtual thread of its own) when an agent is reserved: cuts the caller's wait for a key. */
        volatile Runnable onOffer;

        Waiting(String callId, String queue, int priority, long ticket, long enqueuedAt) {
            this.callId = callId;
            this.queue = queue;
            this.priority = priority;
            this.ticket = ticket;
            this.enqueuedAt = enqueuedAt;
        }
    }

    /** One queue's waiting calls by ticket (arrival order; one priority per queue), with a position snapshot. */
    private static final class QueueLine {
        final TreeMap<Long, Waiting> calls = new TreeMap<>();
        long[] snapshot;

        long[] order() {
            if (snapshot == null) {
                snapshot = calls.keySet().stream().mapToLong(Long::longValue).toArray();
            }
            return snapshot;
        }
    }

    private static final long FIGURES_TTL_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Deque<String> ready = new ArrayDeque<>();
    private final Map<String, QueueLine> lines = new HashMap<>();
    private final int staffed;
    private final long defaultHandleMillis;
    private final long wrapUpMillis;
    private final ScheduledExecutorService wrapUps;
    private long tickets;
    private long handled;
    private long handleMillis;
    private long figuresAt = Long.MIN_VALUE;
    private long figureHandleMillis;

    AgentPool(int agents, Duration defaultHandleTime, Duration wrapUp) {
        for (int i = 1; i <= agents; i++) {
            ready.add(endpoint(i));
        }
        this.staffed = agents;
        this.defaultHandleMillis = defaultHandleTime.toMillis();
        this.wrapUpMillis = wrapUp.toMillis();
        this.wrapUps = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wrap-up");
            t.setDaemon(true);
            return t;
        });
    }

    /** The endpoint of agent {@code i}, as the load generator registers agents with ivr. */
    static String endpoint(int i) {
        return String.format("PJSIP/a%05d", i);
    }

    /** The agent id of an endpoint (agent00001 for PJSIP/a00001). */
    static String agentId(String endpoint) {
        return "agent" + endpoint.substring(endpoint.indexOf('/') + 2);
    }

    /** Queues a call; an agent may be reserved for it at once (see {@link Waiting#offered}). */
    synchronized Waiting enqueue(String callId, String queue, int priority) {
        Waiting w = new Waiting(callId, queue, priority, ++tickets, System.nanoTime());
        QueueLine line = lines.computeIfAbsent(queue, q -> new QueueLine());
        line.calls.put(w.ticket, w);
        line.snapshot = null;
        dispatch();
        return w;
    }

    /** The call leaves its queue without an agent (hung up, timed out, chose another way). */
    synchronized void cancel(Waiting w) {
        QueueLine line = lines.get(w.queue);
        if (line != null && line.calls.remove(w.ticket) != null) {
            line.snapshot = null;
        }
        if (w.offered != null) { // reserved but not connected: the agent is free again at once
            ready.addFirst(w.offered);
            w.offered = null;
            dispatch();
        }
    }

    /** 1 for the next call of its queue. */
    synchronized int position(Waiting w) {
        QueueLine line = lines.get(w.queue);
        int i = line == null ? -1 : Arrays.binarySearch(line.order(), w.ticket);
        return i < 0 ? 1 : i + 1;
    }

    /** position × average handle time ÷ agents staffed. */
    synchronized Duration estimatedWait(int position) {
        long now = System.nanoTime();
        if (now - figuresAt > FIGURES_TTL_NANOS || figuresAt == Long.MIN_VALUE) {
            figureHandleMillis = handled == 0 ? defaultHandleMillis : handleMillis / handled;
            figuresAt = now;
        }
        return Duration.ofMillis(position * figureHandleMillis / Math.max(1, staffed));
    }

    /**
     * The agent did not answer: the agent is not ready any more (out of the pool) and the call is
     * back in its queue at its old place, to be offered the next agent.
     */
    synchronized void notAnswered(Waiting w) {
        w.offered = null;
        QueueLine line = lines.computeIfAbsent(w.queue, q -> new QueueLine());
        line.calls.put(w.ticket, w);
        line.snapshot = null;
        dispatch();
    }

    /** The conversation with the agent ended after {@code talk}: the agent wraps up, then takes the next call. */
    void callEnded(String agent, Duration talk) {
        synchronized (this) {
            handled++;
            handleMillis += talk.toMillis();
        }
        wrapUps.schedule(() -> ready(agent), wrapUpMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void ready(String agent) {
        ready.addLast(agent);
        dispatch();
    }

    /** Pairs ready agents with the first waiting calls in queue order. */
    private void dispatch() {
        while (!ready.isEmpty()) {
            Waiting best = null;
            for (QueueLine line : lines.values()) {
                Map.Entry<Long, Waiting> head = line.calls.firstEntry();
                Waiting w = head == null ? null : head.getValue();
                if (w != null && (best == null || w.priority > best.priority
                        || (w.priority == best.priority && w.enqueuedAt < best.enqueuedAt))) {
                    best = w;
                }
            }
            if (best == null) {
                return;
            }
            QueueLine line = lines.get(best.queue);
            line.calls.remove(best.ticket);
            line.snapshot = null;
            best.offered = ready.pollFirst();
            Runnable cut = best.onOffer;
            if (cut != null) {
                Thread.ofVirtual().name("queue-wait-cut").start(cut); // off the pool's lock, as ivr's routing does
            }
            notifyAll();
        }
    }

    /** Waits up to {@code millis} for an agent to be reserved for the call; the agent's endpoint, or null. */
    synchronized String awaitOffer(Waiting w, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (w.offered == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return w.offered;
    }
}
