package dev.ivr.server.crm.store;

import static dev.ivr.server.crm.store.JdbcValues.cut;
import static dev.ivr.server.crm.store.JdbcValues.setInstant;
import static dev.ivr.server.crm.store.JdbcValues.setMillis;
import static dev.ivr.server.crm.store.JdbcValues.toJson;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.outbox.InteractionOutbox;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.db.WriteFailures;
import dev.ivr.server.os.BackgroundThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.ivr.server.outbox.Outbox;

/**
 * Where the CRM store's interactions go: the database when it takes them, else the outbox on local disk (forced),
 * else memory (said loudly, lost if the server stops first); the {@code crm-outbox} platform thread writes what
 * waits once the database is back. Secrets are masked and sizes bounded before anything is kept.
 *
 * <p>A call's own interaction ({@link #record}) is not written on the call's thread: it is handed to the
 * {@code crm-writer} thread, the single writer, which takes everything waiting, lingers for what other calls hand
 * over in the next {@code linger} (200 ms in a server: {@link JdbcCrmStore#WRITER_LINGER}), and inserts it in one
 * transaction (many calls per commit: on H2 each commit is a chunk written to disk, the largest cost of a call's
 * record when every call had its own), or puts it in the outbox when the database does not take it. A slow or absent
 * database therefore never adds latency to a call. The writer has a circuit of its own ({@code writeGuard}): its
 * pool timeouts never make the identify path look down. When the hand-over queue is full the call writes its
 * interaction itself ({@link #store}), as before. What is in the queue is in memory until the writer's commit, at
 * most the linger and the commit (the call's checkpoint stays until then: a server killed meanwhile leaves the
 * checkpoint, from which a survivor records the call); {@link #awaitHandedOver} makes the writer stop lingering,
 * and {@link #close} writes what it holds before the server stops.
 */
final class InteractionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrmStore.class);
    private static final int MAX_PATH = 2000;
    private static final Pattern CAMEL = Pattern.compile("([a-z])([A-Z])");
    private static final Pattern NON_LETTERS = Pattern.compile("[^a-z]+");

    /** Largest number of interactions written in one transaction. */
    static final int BATCH = 256;
    /** How often the writer wakes while it lingers, to see whether someone waits for what it holds. */
    private static final long LINGER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final DatabaseGuard db;
    /** The circuit of the writer's inserts (its own: a slow insert must not close the door on identify). */
    private final DatabaseGuard writeGuard;
    private final WriteFailures writes;
    private final PhoneNumbers phones;
    private final Set<String> secretWords;
    private final Clock clock;
    private final String node;
    private final Duration retryAfter;
    private final MeterRegistry meters;
    private final InteractionOutbox outbox;
    private final Queue<Interaction> unsaved = new ConcurrentLinkedQueue<>();
    private final Thread flusher;
    private final BlockingQueue<Interaction> handedOver;
    /** What runs once an interaction (this very object, as handed over) is durable. */
    private final Map<Interaction, Runnable> durable = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    /** Handed to the writer and not yet in the database, the outbox or {@link #unsaved}. */
    private final AtomicInteger inWriter = new AtomicInteger();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final Thread writer;
    /**
     * How long the writer waits, after the first interaction of a batch, for more before it commits: one commit
     * (on H2 one chunk written to disk) per that much time instead of one per call. The calls do not wait for it.
     */
    private final Duration linger;
    /** Someone waits for what the writer holds ({@link #awaitHandedOver}): it stops lingering. */
    private volatile boolean hurry;
    /** Why the outbox could not be written the last time it failed (while interactions are only in memory). */
    private volatile String outboxFailure;
    private volatile boolean closed;

    InteractionRecorder(DatabaseGuard db, DatabaseGuard writeGuard, WriteFailures writes, PhoneNumbers phones,
                        List<String> secretInputs, Path outboxDir, Clock clock, String node, Duration retryAfter,
                        MeterRegistry meters, int queueCapacity, Duration linger) {
        this.linger = linger;
        this.db = db;
        this.writeGuard = writeGuard;
        this.handedOver = new ArrayBlockingQueue<>(queueCapacity);
        this.writes = writes;
        this.phones = phones;
        this.secretWords = secretInputs.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.clock = clock;
        this.node = node;
        this.retryAfter = retryAfter;
        this.meters = meters;
        this.outbox = new InteractionOutbox(outboxDir);
        this.flusher = BackgroundThreads.start("crm-outbox", this::flushLoop);
        this.writer = BackgroundThreads.start("crm-writer", this::writeLoop);
    }

    /**
     * Records a call's interaction without waiting for it to be written: hands it to the writer. When the writer is
     * that far behind (its queue full), writes it on this thread instead, so that nothing is dropped.
     */
    void record(Interaction interaction) {
        record(interaction, null);
    }

    /**
     * As {@link #record(Interaction)}; {@code whenDurable} (when not null) runs once the interaction is in the
     * database or the outbox, on a virtual thread; never when it is kept in memory only.
     */
    void record(Interaction interaction, Runnable whenDurable) {
        if (whenDurable != null) {
            durable.put(interaction, whenDurable);
        }
        if (!closed) {
            inWriter.incrementAndGet();
            submitted.incrementAndGet();
            if (handedOver.offer(interaction)) {
                return;
            }
            inWriter.decrementAndGet();
            submitted.decrementAndGet();
            count("ivr.crm.interactions", "writer_full");
        }
        durableIf(store(interaction), interaction);
    }

    /** Runs what waits for {@code original} to be durable, if {@code kept} says it is now. */
    private void durableIf(JdbcCrmStore.Kept kept, Interaction original) {
        if (kept == JdbcCrmStore.Kept.MEMORY) {
            durable.remove(original); // not durable; the call's checkpoint stays until its time to live ends
            return;
        }
        Runnable r = durable.remove(original);
        if (r != null) {
            afterDurable(List.of(r));
        }
    }

    private static void afterDurable(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("crm-durable").start(() -> tasks.forEach(t -> {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.warn("after an interaction was stored: {}", e.toString());
            }
        }));
    }

    /** Waits until everything {@link #record}ed before this call is in the database, the outbox or memory. */
    void awaitHandedOver(Duration atMost) {
        long target = submitted.get();
        long deadline = System.nanoTime() + atMost.toNanos();
        while (handled.get() < target && System.nanoTime() < deadline) {
            hurry = true;
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void writeLoop() {
        List<Interaction> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Interaction first = handedOver.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                hurry = false;
                handedOver.drainTo(batch, BATCH - 1);
                boolean interrupted = lingerFor(batch);
                writeBatch(batch);
                if (interrupted) {
                    Thread.currentThread().interrupt(); // after the write: the batch is not dropped
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("the interaction writer failed ({}): keeping {} interaction(s) in the outbox", e, batch.size());
                batch.forEach(this::keepHandled);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Adds to {@code batch} what calls hand over within {@link #linger} of its first, up to {@link #BATCH}; stops
     * early when the recorder closes or someone waits for the batch ({@link #hurry}).
     *
     * @return whether the writer was interrupted meanwhile (the batch is written all the same)
     */
    private boolean lingerFor(List<Interaction> batch) {
        long until = System.nanoTime() + linger.toNanos();
        while (batch.size() < BATCH && !closed && !hurry) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Interaction next = handedOver.poll(Math.min(left, LINGER_SLICE_NANOS), TimeUnit.NANOSECONDS);
                if (next != null) {
                    batch.add(next);
                    handedOver.drainTo(batch, BATCH - batch.size());
                }
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    /** Writes one batch: in one transaction when the database takes it, else each to the outbox. */
    private void writeBatch(List<Interaction> batch) {
        List<Interaction> clean = new ArrayList<>(batch.size());
        for (Interaction i : batch) {
            clean.add(sanitise(i));
        }
        if (writeGuard.available()) {
            try {
                writeGuard.call(c -> {
                    insertAll(c, clean);
                    return null;
                });
                writes.succeeded();
                Counter.builder("ivr.crm.interactions").tag("result", "written").register(meters).increment(clean.size());
                done(clean.size());
                List<Runnable> then = new ArrayList<>();
                for (Interaction i : batch) {
                    Runnable r = durable.remove(i);
                    if (r != null) {
                        then.add(r);
                    }
                }
                afterDurable(then);
                return;
            } catch (DatabaseGuard.Unavailable e) {
                if (e.dataError()) {
                    // one of them is refused: each on its own, so that only that one is set aside
                    for (int k = 0; k < clean.size(); k++) {
                        JdbcCrmStore.Kept kept = storeClean(clean.get(k));
                        done(1);
                        durableIf(kept, batch.get(k));
                    }
                    return;
                }
                failedWrite(e);
                LOG.warn("{} interaction(s) not written to the database ({}): keeping them in the outbox", clean.size(),
                        e.getMessage());
            }
        }
        for (int k = 0; k < clean.size(); k++) {
            JdbcCrmStore.Kept kept = keep(clean.get(k));
            done(1);
            durableIf(kept, batch.get(k));
        }
    }

    private void keepHandled(Interaction i) {
        durableIf(keep(i), i);
        done(1);
    }

    private void done(int n) {
        inWriter.addAndGet(-n);
        handled.addAndGet(n);
    }

    private void insertAll(Connection c, List<Interaction> batch) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Interaction i : batch) {
                bind(ps, i);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: nothing was committed
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // evicted by the guard if dead
            }
        }
    }

    /** Records an interaction, saying where it is now. */
    JdbcCrmStore.Kept store(Interaction interaction) {
        return storeClean(sanitise(interaction));
    }

    private JdbcCrmStore.Kept storeClean(Interaction i) {
        if (writeGuard.available()) {
            try {
                writeGuard.call(c -> {
                    insert(c, i);
                    return null;
                });
                writes.succeeded();
                count("ivr.crm.interactions", "written");
                return JdbcCrmStore.Kept.DATABASE;
            } catch (DatabaseGuard.Unavailable e) {
                if (e.dataError()) {
                    outbox.reject(i, e.getMessage());
                    count("ivr.crm.interactions", "rejected");
                    return JdbcCrmStore.Kept.REJECTED;
                }
                failedWrite(e);
                LOG.warn("interaction not written to the database ({}): keeping it in the outbox", e.getMessage());
            }
        }
        return keep(i);
    }

    private JdbcCrmStore.Kept keep(Interaction i) {
        try {
            outbox.append(i);
            count("ivr.crm.interactions", "queued");
            LOG.info("interaction {} kept in the outbox until the database is back ({} waiting)", i.callId(),
                    outbox.pending());
            return JdbcCrmStore.Kept.OUTBOX;
        } catch (IOException e) {
            unsaved.add(i);
            outboxFailure = DatabaseGuard.rootMessage(e);
            count("ivr.crm.interactions", "memory");
            LOG.error("interaction {} is NOT on disk: the outbox cannot be written ({}); kept in memory only"
                    + " ({} so), lost if the server stops before the disk or the database takes it", i.callId(),
                    outboxFailure, unsaved.size());
            return JdbcCrmStore.Kept.MEMORY;
        }
    }

    /** The interaction as it may be stored: secrets masked, sizes bounded, a call id always there. */
    Interaction sanitise(Interaction i) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : i.inputs().entrySet()) {
            String key = cut(e.getKey(), 100);
            inputs.put(key, isSecret(e.getKey()) ? JdbcCrmStore.MASK : cut(e.getValue(), 1000));
        }
        List<String> path = i.path().size() > MAX_PATH
                ? i.path().subList(i.path().size() - MAX_PATH, i.path().size()) : i.path();
        path = path.stream().map(p -> cut(p, 200)).toList();
        String callId = i.callId();
        if (callId == null || callId.isBlank()) {
            callId = "no-call-id-" + UUID.randomUUID();
            LOG.warn("interaction without a call id stored as {}", callId);
        }
        Interaction.Outcome outcome = i.outcome() == null ? Interaction.Outcome.FAILED : i.outcome();
        return new Interaction(cut(callId, 128), cut(i.ani(), 100), cut(i.dnis(), 100), cut(i.flow(), 200),
                cut(i.flowVersion(), 100), i.start(), i.end(), path, inputs, cut(i.customerId(), 64),
                cut(i.authOutcome(), 16), cut(i.queue(), 200), cut(i.agentId(), 200), i.waitTime(), i.talkTime(),
                outcome, i.node() == null ? node : cut(i.node(), 100));
    }

    /** Whether an input name holds a secret: one of its words (split at non-letters and camelCase) is a secret word. */
    boolean isSecret(String inputName) {
        if (inputName == null) {
            return false;
        }
        String spaced = CAMEL.matcher(inputName).replaceAll("$1 $2").toLowerCase(Locale.ROOT);
        for (String word : NON_LETTERS.split(spaced)) {
            if (secretWords.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static final String INSERT = "insert into interactions (" + JdbcCrmStore.INTERACTION_COLUMNS
            + ", ani_e164, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict do nothing";

    void insert(Connection c, Interaction i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, i);
            if (ps.executeUpdate() == 0) {
                LOG.debug("interaction {} was already recorded", i.callId());
            }
        }
    }

    private void bind(PreparedStatement ps, Interaction i) throws SQLException {
        ps.setString(1, i.callId());
        ps.setString(2, i.ani());
        ps.setString(3, i.dnis());
        ps.setString(4, i.flow());
        ps.setString(5, i.flowVersion());
        setInstant(ps, 6, i.start());
        setInstant(ps, 7, i.end());
        ps.setString(8, toJson(i.path()));
        ps.setString(9, toJson(i.inputs()));
        ps.setString(10, i.customerId());
        ps.setString(11, i.authOutcome());
        ps.setString(12, i.queue());
        ps.setString(13, i.agentId());
        setMillis(ps, 14, i.waitTime());
        setMillis(ps, 15, i.talkTime());
        ps.setString(16, i.outcome().name());
        ps.setString(17, i.node());
        ps.setString(18, phones.e164(i.ani()).orElse(null));
        setInstant(ps, 19, clock.instant());
    }

    /** Interactions handed to the writer and not yet in the database, the outbox or memory. */
    int inWriter() {
        return inWriter.get();
    }

    /** Interactions waiting for the database (on disk, or in memory if the disk failed). */
    int pending() {
        return inWriter.get() + outbox.pending() + unsaved.size();
    }

    /**
     * Interactions the database did not take (in the outbox, or only in memory): the writer's batch, which lingers
     * up to its linger before every commit, is not counted, so a busy server is not reported degraded.
     */
    int notTaken() {
        return outbox.pending() + unsaved.size();
    }

    private void flushLoop() {
        while (!closed) {
            LockSupport.parkNanos(this, retryAfter.toNanos());
            if (!closed) {
                flushOutbox();
            }
        }
    }

    /** Writes what waits in the outbox, if the database is there. Idempotent; called by the flusher. */
    void flushOutbox() {
        saveFromMemory();
        int before = outbox.pending();
        if (before == 0 || !db.ready()) {
            return;
        }
        boolean done = outbox.flush(this::insertDirect);
        int written = before - outbox.pending();
        if (written > 0) {
            LOG.info("{} interaction(s) from the outbox written to the database{}", written,
                    done ? "" : " (" + outbox.pending() + " still waiting)");
            writeGuard.recovered();
            db.recovered();
        }
    }

    /** Interactions only in memory go to the outbox once the disk takes them, or straight to the database. */
    private void saveFromMemory() {
        int onDisk = 0;
        int inDatabase = 0;
        for (Interaction i; (i = unsaved.peek()) != null; ) {
            try {
                outbox.append(i);
                onDisk++;
            } catch (IOException e) {
                outboxFailure = DatabaseGuard.rootMessage(e);
                if (!db.ready()) {
                    break;
                }
                try {
                    insertDirect(i);
                    inDatabase++;
                } catch (Outbox.Rejected r) {
                    outbox.reject(i, r.getMessage());
                } catch (Exception dbDown) {
                    break;
                }
            }
            unsaved.poll();
        }
        if (onDisk + inDatabase > 0) {
            LOG.info("{} interaction(s) that were only in memory are safe now: {} in the outbox, {} in the database"
                    + " ({} still only in memory)", onDisk + inDatabase, onDisk, inDatabase, unsaved.size());
        }
        if (unsaved.isEmpty()) {
            outboxFailure = null;
        }
    }

    /** A write the database was asked for and did not make (not one refused at once by the open circuit). */
    void failedWrite(DatabaseGuard.Unavailable e) {
        if (e.getCause() instanceof SQLException && !e.dataError()) {
            writes.failed(e.getMessage());
        }
    }

    /** One interaction straight to the database (outside the circuit breaker: the flusher probes with it). */
    private void insertDirect(Interaction i) throws Exception {
        try {
            db.direct(c -> {
                insert(c, i);
                return null;
            });
            writes.succeeded();
        } catch (SQLException e) {
            if (DatabaseGuard.isDataError(e)) {
                throw new Outbox.Rejected(DatabaseGuard.rootMessage(e), e);
            }
            writes.failed(DatabaseGuard.rootMessage(e));
            throw e;
        }
    }

    /** Where the interactions that are not in the database are, in words (for the store's health). */
    String waiting() {
        int onDisk = outbox.pending();
        int inMemory = unsaved.size();
        return (onDisk == 0 && inMemory == 0 ? "no interaction waiting"
                : onDisk + " interaction(s) on disk in the outbox waiting for the database")
                + (inMemory == 0 ? "" : "; " + inMemory + " interaction(s) ONLY IN MEMORY, not on disk (the outbox cannot be"
                + " written: " + outboxFailure + "): lost if the server stops before the disk or the database takes them");
    }

    /** Stops the writer and the flusher, writes what it can, and says what is left where. */
    void close() {
        closed = true;
        try {
            writer.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Interaction i; (i = handedOver.poll()) != null; ) { // the writer did not finish: written here
            storeClean(sanitise(i));
            done(1);
        }
        LockSupport.unpark(flusher);
        try {
            flusher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending() > 0 && db.ready()) {
            flushOutbox();
        }
        if (!unsaved.isEmpty()) {
            LOG.error("{} interaction(s) could not be kept (the outbox cannot be written) and are lost: {}", unsaved.size(),
                    unsaved.stream().map(Interaction::callId).collect(Collectors.joining(", ")));
        }
        if (outbox.pending() > 0) {
            LOG.warn("{} interaction(s) stay in the outbox and will be written after the next start", outbox.pending());
        }
        outbox.close();
    }

    private void count(String name, String result) {
        Counter.builder(name).tag("result", result).register(meters).increment();
    }
}
