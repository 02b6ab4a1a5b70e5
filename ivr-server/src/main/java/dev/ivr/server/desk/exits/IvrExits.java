package dev.ivr.server.desk.exits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.ivr.server.wire.ClusterValue;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where callers leave the IVR: per flow and node, the calls whose caller hung up while still in
 * the IVR (in a prompt, a menu, an input; not in a queue), and per flow the calls that ended at
 * all, over a sliding window, cluster-wide.
 *
 * <p>Counts live in the Hazelcast map {@value #MAP} (key {@code flow \n node}, or
 * {@code flow \n *} for a flow's calls), each value holding 24 time buckets of 1/24 of the window;
 * increments are entry processors, atomic on the key's partition whatever the number of servers.
 * The flow engine reports each call through a {@link CallObserver} from {@link #observer()}.
 */
public final class IvrExits {
    private static final Logger LOG = LoggerFactory.getLogger(IvrExits.class);
    public static final String MAP = "ivr.desk.ivr-exits";
    static final int BUCKETS = 24;
    private static final String CALLS = "*";

    /** Callers who hung up at one node of a flow. */
    public record Exit(String flow, String node, long count) {
    }

    /**
     * @param exits  callers who hung up in the IVR, per flow node, most first
     * @param calls  calls that ended, per flow they entered by
     * @param window the time covered (about: bucketed in 24ths)
     */
    public record Snapshot(List<Exit> exits, Map<String, Long> calls, Duration window) {
        public long totalExits() {
            return exits.stream().mapToLong(Exit::count).sum();
        }

        public long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final IMap<String, Buckets> map;
    /** Counts of calls' ends not sent yet (see {@link #recordAsync}). */
    private final java.util.concurrent.ConcurrentHashMap<Slot, Long> unsent = new java.util.concurrent.ConcurrentHashMap<>();
    /** A thread waits to send {@link #unsent}. */
    private final java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Duration window;
    private final long bucketMillis;
    private final Clock clock;

    public IvrExits(HazelcastInstance hz, Duration window, Clock clock) {
        this.map = hz.getMap(MAP);
        this.window = window;
        this.bucketMillis = Math.max(60_000, window.toMillis() / BUCKETS);
        this.clock = clock;
    }

    /** An observer for one call: remembers the last node the call entered and counts the call when it ends. */
    public CallObserver observer() {
        return new CallObserver() {
            private String flow;
            private String node;

            @Override
            public void node(String flowName, Node n) {
                flow = flowName;
                node = n.id();
            }

            @Override
            public void ended(CallSummary summary) {
                Interaction i = summary.interaction();
                if (i == null) {
                    return;
                }
                try {
                    if (i.outcome() == Interaction.Outcome.ABANDONED_IN_IVR && flow != null) {
                        recordAsync(flow, node);
                    }
                    if (i.flow() != null) {
                        recordAsync(i.flow(), CALLS);
                    }
                } catch (RuntimeException e) { // statistics never fail a call
                    LOG.warn("IVR exit of {} not counted: {}", LogText.escape(i.flow()), e.toString());
                }
            }
        };
    }

    /** Counts one caller leaving at {@code node} of {@code flow}. */
    public void exit(String flow, String node) {
        record(flow, node);
    }

    /** Counts one call that entered by {@code flow} and ended. */
    public void call(String flow) {
        record(flow, CALLS);
    }

    /** Counts one, and returns once the key's partition has it. */
    private void record(String flow, String node) {
        long bucket = clock.millis() / bucketMillis;
        map.executeOnKey(flow + "\n" + node, new Increment(bucket, bucket - BUCKETS + 1, 1));
    }

    /**
     * Counts one without waiting for the key's partition (a call's end: the call needs nothing back, and its thread
     * used to wait for a round trip to the partition thread, where every call's count of a flow queues on one key).
     * The counts of the next {@link #SEND_EVERY} are added up here and sent together, one entry processor per key and
     * bucket (every call's end used to be one on the flow's key: the sealed buckets opened, changed and sealed again
     * on that partition's thread for each call). So a desk sees a count up to that much later; one that fails (the
     * cluster shutting down) is logged, as a synchronous one was; {@link #flush} sends what waits at once.
     */
    private void recordAsync(String flow, String node) {
        long bucket = clock.millis() / bucketMillis;
        unsent.merge(new Slot(flow + "\n" + node, bucket), 1L, Long::sum);
        if (stopped) {
            flush(); // the server is stopping: no thread waits to send it later (the cluster is about to go)
            return;
        }
        if (sending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ivr-exits").start(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(SEND_EVERY.toNanos());
                sending.set(false);
                flush();
            });
        }
    }

    /** How long the counts of calls' ends wait to be sent together. */
    static final Duration SEND_EVERY = Duration.ofMillis(250);
    /** How long {@link #stop} waits for the cluster to take the counts it sends. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /** Set by {@link #stop}: a call's end is sent at once. */
    private volatile boolean stopped;
    /** Counts sent and not yet taken by their partition. */
    private final java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.CompletableFuture<?>> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sends = new java.util.concurrent.atomic.AtomicLong();

    /** Sends the counts of calls' ends not sent yet, without waiting for the cluster. Never throws. */
    public void flush() {
        for (Slot slot : unsent.keySet()) {
            Long n = unsent.remove(slot);
            if (n == null) {
                continue;
            }
            try {
                java.util.concurrent.CompletableFuture<?> sent = map.submitToKey(slot.key(),
                        new Increment(slot.bucket(), slot.bucket() - BUCKETS + 1, n)).toCompletableFuture();
                long id = sends.incrementAndGet();
                inFlight.put(id, sent);
                sent.whenComplete((none, e) -> {
                    inFlight.remove(id);
                    if (e != null) {
                        LOG.warn("{} IVR exit(s) of {} not counted: {}", n, LogText.escape(slot.key()), e.toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("{} IVR exit(s) of {} not counted: {}", n, LogText.escape(slot.key()), e.toString());
            }
        }
    }

    /**
     * The server is stopping (its calls ended or were cut, the cluster not yet shut down): sends what waits, and waits
     * up to {@link #STOP_WAIT} for the cluster to take every count sent; a call's end after this is sent at once.
     * Never throws.
     */
    public void stop() {
        stopped = true;
        flush();
        try {
            java.util.concurrent.CompletableFuture.allOf(inFlight.values().toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // each failure is logged with its key
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("{} IVR exit count(s) not confirmed by the cluster within {} ms of the stop", inFlight.size(),
                    STOP_WAIT.toMillis());
        }
    }

    /** Counts sent and not yet taken by the cluster (for tests). */
    int inFlight() {
        return inFlight.size();
    }

    /** Counts of calls' ends not sent yet (for tests). */
    int unsent() {
        return unsent.size();
    }

    /** A key and time bucket whose counts wait to be sent. */
    private record Slot(String key, long bucket) {
    }

    /** The counts over the window, read from the cluster. */
    public Snapshot snapshot() {
        long oldest = clock.millis() / bucketMillis - BUCKETS + 1;
        List<Exit> exits = new ArrayList<>();
        Map<String, Long> calls = new TreeMap<>();
        for (Map.Entry<String, Buckets> e : map.entrySet()) {
            long n = e.getValue().sumFrom(oldest);
            if (n == 0) {
                continue;
            }
            int nl = e.getKey().indexOf('\n');
            String flow = e.getKey().substring(0, nl);
            String node = e.getKey().substring(nl + 1);
            if (node.equals(CALLS)) {
                calls.merge(flow, n, Long::sum);
            } else {
                exits.add(new Exit(flow, node, n));
            }
        }
        exits.sort(Comparator.comparingLong(Exit::count).reversed().thenComparing(Exit::flow).thenComparing(Exit::node));
        return new Snapshot(List.copyOf(exits), Map.copyOf(calls), window);
    }

    /** Runs {@code onChange} (on a Hazelcast thread: hand over, do not block) whenever a count changes anywhere. */
    public UUID listen(Runnable onChange) {
        return map.addEntryListener(new Changes(onChange), false);
    }

    public void unlisten(UUID id) {
        map.removeEntryListener(id);
    }

    private record Changes(Runnable onChange) implements EntryAddedListener<String, Buckets>, EntryUpdatedListener<String, Buckets> {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, Buckets> event) {
            onChange.run();
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, Buckets> event) {
            onChange.run();
        }
    }

    /** Counts per time bucket (bucket index → count); buckets older than the window are dropped on update. */
    public record Buckets(TreeMap<Long, Long> counts) implements ClusterValue {
        public Buckets {
            counts = counts == null ? new TreeMap<>() : new TreeMap<>(counts);
        }

        long sumFrom(long oldest) {
            return counts.tailMap(oldest, true).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Adds {@code count} to a bucket, atomically on the key's partition. An increment of a server before
     * {@code count} has none (read as 0 here): it adds one, as it did; a server before it reads this one's
     * {@code count} as nothing it knows and adds one (counts sent together are undercounted while both run, in a
     * rolling upgrade: statistics only).
     */
    record Increment(long bucket, long oldest, long count) implements EntryProcessor<String, Buckets, Void>, ClusterValue {
        @Override
        public Void process(Map.Entry<String, Buckets> entry) {
            TreeMap<Long, Long> counts = entry.getValue() == null ? new TreeMap<>() : entry.getValue().counts();
            counts.headMap(oldest, false).clear();
            counts.merge(bucket, Math.max(1, count), Long::sum);
            entry.setValue(new Buckets(counts));
            return null;
        }
    }
}
