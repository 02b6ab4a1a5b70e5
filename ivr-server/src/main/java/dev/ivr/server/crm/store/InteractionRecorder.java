package dev.ivr.server.crm.store;

import static dev.ivr.server.crm.store.JdbcValues.cut;
import static dev.ivr.server.crm.store.JdbcValues.setInstant;
import static dev.ivr.server.crm.store.JdbcValues.setMillis;
import static dev.ivr.server.crm.store.JdbcValues.toJson;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.outbox.InteractionOutbox;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.db.WriteFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the CRM store's interactions go: the database when it takes them, else the outbox on local disk (forced),
 * else memory (said loudly, lost if the server stops first); the {@code crm-outbox} virtual thread writes what
 * waits once the database is back. Secrets are masked and sizes bounded before anything is kept.
 */
final class InteractionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrmStore.class);
    private static final int MAX_PATH = 2000;

    private final DatabaseGuard db;
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
    /** Why the outbox could not be written the last time it failed (while interactions are only in memory). */
    private volatile String outboxFailure;
    private volatile boolean closed;

    InteractionRecorder(DatabaseGuard db, WriteFailures writes, PhoneNumbers phones, List<String> secretInputs,
                        Path outboxDir, Clock clock, String node, Duration retryAfter, MeterRegistry meters) {
        this.db = db;
        this.writes = writes;
        this.phones = phones;
        this.secretWords = secretInputs.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.clock = clock;
        this.node = node;
        this.retryAfter = retryAfter;
        this.meters = meters;
        this.outbox = new InteractionOutbox(outboxDir);
        this.flusher = Thread.ofVirtual().name("crm-outbox").start(this::flushLoop);
    }

    /** Records an interaction, saying where it is now. */
    JdbcCrmStore.Kept store(Interaction interaction) {
        Interaction i = sanitise(interaction);
        if (db.available()) {
            try {
                db.call(c -> {
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
        String spaced = inputName.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        for (String word : spaced.split("[^a-z]+")) {
            if (secretWords.contains(word)) {
                return true;
            }
        }
        return false;
    }

    void insert(Connection c, Interaction i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into interactions (" + JdbcCrmStore.INTERACTION_COLUMNS
                + ", ani_e164, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) {
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
            if (ps.executeUpdate() == 0) {
                LOG.debug("interaction {} was already recorded", i.callId());
            }
        }
    }

    /** Interactions waiting for the database (on disk, or in memory if the disk failed). */
    int pending() {
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
                } catch (InteractionOutbox.Rejected r) {
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
                throw new InteractionOutbox.Rejected(DatabaseGuard.rootMessage(e), e);
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

    /** Stops the flusher, writes what it can, and says what is left where. */
    void close() {
        closed = true;
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
