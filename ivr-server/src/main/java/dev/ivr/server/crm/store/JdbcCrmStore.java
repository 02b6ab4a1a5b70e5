package dev.ivr.server.crm.store;

import static dev.ivr.server.crm.store.JdbcValues.cut;
import static dev.ivr.server.crm.store.JdbcValues.fromJson;
import static dev.ivr.server.crm.store.JdbcValues.instant;
import static dev.ivr.server.crm.store.JdbcValues.millis;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmQueries;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.CustomerProfile;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.outbox.InteractionOutbox;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.db.Database;
import dev.ivr.server.db.WriteFailures;
import dev.ivr.server.health.Health;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The CRM store on a JDBC database (H2 or PostgreSQL, same SQL). Calls never wait on a dead
 * database for long and never fail because of it: {@link DatabaseGuard} answers UNAVAILABLE at
 * once while it is down, and {@link #record} keeps interactions in a durable
 * {@link InteractionOutbox} that a background thread writes to the database when it is back.
 */
public final class JdbcCrmStore implements CrmStore, CrmQueries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrmStore.class);
    static final String MASK = "***";
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    static final String INTERACTION_COLUMNS = "call_id, ani, dnis, flow, flow_version, started_at, ended_at, path,"
            + " inputs, customer_id, auth_outcome, queue, agent_id, wait_ms, talk_ms, outcome, node";

    private final DatabaseGuard db;
    /** The queries of the HTTP side (profiles, history) go through their own pool: they never take a call's connection. */
    private DatabaseGuard queries;
    private final PhoneNumbers phones;
    private final LockoutPolicy lockout;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer identifyTimer;
    private final Timer authenticateTimer;
    private final WriteFailures writes;
    private final InteractionRecorder recorder;
    private final Identifier identifier;
    private final Authenticator authenticator;
    /** Interactions handed to the writer and not yet written, at most; past that a call writes its own. */
    static final int WRITER_QUEUE = 10_000;
    /** How long the interaction writer gathers calls' interactions for one commit (see {@link InteractionRecorder}). */
    static final Duration WRITER_LINGER = Duration.ofMillis(200);
    /** A simulation's store: reads the database, writes nothing (see {@link #readOnly}). */
    private volatile boolean readOnly;

    /** The store of a server: on its database, with the outbox in {@code <data-dir>/outbox}. */
    public static JdbcCrmStore open(Database database, CrmConfig config, PinHasher pins, Path dataDir, String node,
                                    MeterRegistry meters) {
        return new JdbcCrmStore(database.dataSource(), database::isReady, config, pins, dataDir.resolve("outbox"), node,
                Clock.systemUTC(), meters, database.writes()).queriesOn(database.httpDataSource(), database::isReady, config);
    }

    /**
     * A store that reads the database and changes nothing, for {@code simulate} on a live
     * database: authentication decides as a server would (lockouts included) and rolls its
     * counting back; interactions are not recorded. {@code scratchDir} takes the (unused) outbox.
     */
    public static JdbcCrmStore readOnly(Database database, CrmConfig config, PinHasher pins, Path scratchDir,
                                        MeterRegistry meters) {
        JdbcCrmStore s = new JdbcCrmStore(database.dataSource(), database::isReady, config, pins, scratchDir, "simulator",
                Clock.systemUTC(), meters, new WriteFailures());
        s.readOnly = true;
        return s;
    }

    /** The customer columns whose most frequent values {@link #mostFrequentValues} can read. */
    public static final List<String> VALUE_COLUMNS = List.of("language", "first_name", "last_name", "tier");

    /**
     * The {@code limit} most frequent combinations of these customer columns (of {@link #VALUE_COLUMNS}), most
     * customers first, each as a customer with only those fields (the others null, no id, no attributes): whose
     * greetings by name are rendered ahead of their calls. One aggregate query over the customers, off the calls'
     * path; empty when the database is down (the greetings then render when those customers call).
     */
    public List<Customer> mostFrequentValues(java.util.Collection<String> columns, int limit) {
        List<String> cols = VALUE_COLUMNS.stream().filter(columns::contains).toList();
        if (cols.isEmpty() || limit <= 0) {
            return List.of();
        }
        String list = String.join(", ", cols); // names from VALUE_COLUMNS only, never from outside
        try {
            return db.call(c -> {
                List<Customer> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select " + list + ", count(*) as customers from customers"
                        + " group by " + list + " order by customers desc, " + list)) {
                    ps.setMaxRows(limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String[] v = new String[VALUE_COLUMNS.size()];
                            for (int i = 0; i < cols.size(); i++) {
                                v[VALUE_COLUMNS.indexOf(cols.get(i))] = rs.getString(i + 1);
                            }
                            out.add(new Customer(null, v[1], v[2], v[0], v[3], Map.of()));
                        }
                    }
                }
                return out;
            });
        } catch (DatabaseGuard.Unavailable e) {
            LOG.info("customers' most frequent names: database unavailable ({}); their greetings render when they call",
                    e.getMessage());
            return List.of();
        }
    }

    /** Runs the {@link CrmQueries} (the HTTP side) on another pool than the calls. */
    JdbcCrmStore queriesOn(DataSource dataSource, BooleanSupplier ready, CrmConfig config) {
        this.queries = new DatabaseGuard(dataSource, ready, config.retryDatabaseAfter());
        return this;
    }

    /**
     * @param ready     whether the schema is migrated (calls before that answer UNAVAILABLE)
     * @param outboxDir where interactions wait while the database is down
     * @param node      this server's name, stored with attempts and interactions
     */
    public JdbcCrmStore(DataSource dataSource, BooleanSupplier ready, CrmConfig config, Path outboxDir, String node,
                        Clock clock, MeterRegistry meters) {
        this(dataSource, ready, config, new PinHasher(config.pinHash()), outboxDir, node, clock, meters, new WriteFailures());
    }

    JdbcCrmStore(DataSource dataSource, BooleanSupplier ready, CrmConfig config, PinHasher pins, Path outboxDir,
                 String node, Clock clock, MeterRegistry meters) {
        this(dataSource, ready, config, pins, outboxDir, node, clock, meters, new WriteFailures());
    }

    /** @param writes told how each write went (the database's health shows writes that fail) */
    JdbcCrmStore(DataSource dataSource, BooleanSupplier ready, CrmConfig config, PinHasher pins, Path outboxDir,
                 String node, Clock clock, MeterRegistry meters, WriteFailures writes) {
        this.writes = writes;
        this.db = new DatabaseGuard(dataSource, ready, config.retryDatabaseAfter());
        this.queries = db;
        this.phones = new PhoneNumbers(config.region());
        this.lockout = new LockoutPolicy(config.lockout());
        this.clock = clock;
        this.meters = meters;
        this.identifyTimer = Timer.builder("ivr.crm.request").description("CRM store calls by the flows")
                .tag("op", "identify").register(meters);
        this.authenticateTimer = Timer.builder("ivr.crm.request").description("CRM store calls by the flows")
                .tag("op", "authenticate").register(meters);
        Gauge.builder("ivr.crm.outbox.pending", this, s -> s.pendingInteractions())
                .description("Interactions kept on local disk until the database is back").register(meters);
        this.recorder = new InteractionRecorder(db, new DatabaseGuard(dataSource, ready, config.retryDatabaseAfter()),
                writes, phones, config.secretInputs(), outboxDir, clock, node, config.retryDatabaseAfter(), meters,
                WRITER_QUEUE, WRITER_LINGER);
        this.identifier = new Identifier(db, phones);
        this.authenticator = new Authenticator(db, pins, new Lockouts(lockout, node), clock, writes, recorder,
                () -> readOnly);
    }

    // ------------------------------------------------------------------ identify (Identifier)

    @Override
    public Identification identify(String ani) {
        long t0 = System.nanoTime();
        Identification r = identifier.identify(ani);
        identifyTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        count("ivr.crm.identify", r.status().name());
        return r;
    }

    // -------------------------------------------------------------- authenticate (Authenticator, Lockouts)

    @Override
    public Authentication authenticate(String accountNumber, String pin, String callId) {
        long t0 = System.nanoTime();
        Authentication r = authenticator.authenticate(accountNumber, pin, callId);
        authenticateTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        count("ivr.crm.authenticate", r.status().name());
        return r;
    }

    /** Account numbers as callers type or CSV files write them: separators dropped; null if not one. */
    public static String normaliseAccount(String raw) {
        return Authenticator.normaliseAccount(raw);
    }

    // ------------------------------------------------------------------ customers (CustomerRows)

    @Override
    public Optional<Customer> customer(String customerId) {
        try {
            return db.call(c -> CustomerRows.customerById(c, customerId));
        } catch (DatabaseGuard.Unavailable e) {
            LOG.warn("customer {}: database unavailable ({})", customerId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<CustomerProfile> profile(String customerId) {
        return query(c -> {
            Optional<Customer> customer = CustomerRows.customerById(c, customerId);
            if (customer.isEmpty()) {
                return Optional.empty();
            }
            List<String> numbers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select e164 from phone_numbers where customer_id = ? order by e164")) {
                ps.setString(1, customerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        numbers.add(rs.getString(1));
                    }
                }
            }
            List<CustomerProfile.Account> accounts = new ArrayList<>();
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("select a.account_number, a.status, a.pin_hash is not null,"
                    + " l.locked_until from accounts a left join auth_lockouts l on l.account_number = a.account_number"
                    + " where a.customer_id = ? order by a.account_number")) {
                ps.setString(1, customerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant locked = instant(rs, 4);
                        accounts.add(new CustomerProfile.Account(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                                locked != null && locked.isAfter(now) ? locked : null));
                    }
                }
            }
            return Optional.of(new CustomerProfile(customer.get(), numbers, accounts));
        });
    }

    @Override
    public List<Customer> findByPhone(String number) {
        if (!(phones.parse(number) instanceof PhoneNumbers.Number n)) {
            return List.of();
        }
        return query(c -> CustomerRows.customersByPhone(c, n.e164()));
    }

    @Override
    public List<Interaction> history(String customerId, int limit, int offset) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + INTERACTION_COLUMNS + " from interactions"
                    + " where customer_id = ? order by started_at desc, call_id desc limit ? offset ?")) {
                ps.setString(1, customerId);
                ps.setInt(2, Math.max(0, limit));
                ps.setInt(3, Math.max(0, offset));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Interaction> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(readInteraction(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Optional<Interaction> interaction(String callId) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + INTERACTION_COLUMNS
                    + " from interactions where call_id = ?")) {
                ps.setString(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readInteraction(rs)) : Optional.<Interaction>empty();
                }
            }
        });
    }

    private <T> T query(DatabaseGuard.Work<T> work) {
        try {
            return queries.call(work);
        } catch (DatabaseGuard.Unavailable e) {
            throw new CrmUnavailableException("the CRM database is unavailable: " + e.getMessage(), e);
        }
    }

    // -------------------------------------------------------------- interactions

    /**
     * Hands the interaction to the store's single writer, which inserts it with the others waiting in one
     * transaction (or keeps it in the outbox): the call does not wait for the database. {@link #store} writes on
     * the caller's thread.
     */
    @Override
    public void record(Interaction interaction) {
        if (readOnly) {
            return;
        }
        recorder.record(interaction);
    }

    /** As {@link #record(Interaction)}; {@code whenDurable} runs once the writer committed it or put it in the outbox. */
    @Override
    public void record(Interaction interaction, Runnable whenDurable) {
        if (readOnly) {
            return;
        }
        recorder.record(interaction, whenDurable);
    }

    /** Waits (at most {@code atMost}) until what was {@link #record}ed so far is in the database or the outbox. */
    public void awaitRecorded(Duration atMost) {
        recorder.awaitHandedOver(atMost);
    }

    @Override
    public void recordRing(String callId, Duration ring) {
        if (readOnly || ring.isNegative() || ring.isZero()) {
            return;
        }
        try {
            int n = addRing(callId, ring);
            if (n == 0 && recorder.inWriter() > 0) {
                recorder.awaitHandedOver(RING_WAITS_FOR_WRITER); // the call's interaction may be in the writer's batch
                n = addRing(callId, ring);
            }
            if (n == 0) {
                LOG.info("ring time of {} ms not added to the wait: the interaction is not in the database yet", ring.toMillis());
            }
        } catch (DatabaseGuard.Unavailable e) {
            LOG.warn("ring time of {} ms not added to the wait: {}", ring.toMillis(), e.getMessage());
        }
    }

    /** How long a ring time waits at most for the writer to commit the interaction it belongs to. */
    private static final Duration RING_WAITS_FOR_WRITER = Duration.ofSeconds(2);

    private int addRing(String callId, Duration ring) throws DatabaseGuard.Unavailable {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update interactions set wait_ms = coalesce(wait_ms, 0) + ? where call_id = ?")) {
                ps.setLong(1, ring.toMillis());
                ps.setString(2, cut(callId, 128));
                return ps.executeUpdate();
            }
        });
    }

    /** Where {@link #record} left an interaction. */
    public enum Kept {
        /** Committed to the database. */
        DATABASE,
        /** Forced to disk in the outbox; written to the database when it is back. */
        OUTBOX,
        /** Neither database nor outbox could take it: in memory only, lost if the server stops first. */
        MEMORY,
        /** The database refuses it for good (bad data): set aside in {@code outbox/rejected.jsonl}. */
        REJECTED
    }

    /** {@link #record}, saying where the interaction is now. */
    public Kept store(Interaction interaction) {
        return recorder.store(interaction);
    }

    private Interaction readInteraction(ResultSet rs) throws SQLException {
        return new Interaction(rs.getString("call_id"), rs.getString("ani"), rs.getString("dnis"), rs.getString("flow"),
                rs.getString("flow_version"), instant(rs, "started_at"), instant(rs, "ended_at"),
                fromJson(rs.getString("path"), LIST), fromJson(rs.getString("inputs"), MAP), rs.getString("customer_id"),
                rs.getString("auth_outcome"), rs.getString("queue"), rs.getString("agent_id"), millis(rs, "wait_ms"),
                millis(rs, "talk_ms"), Interaction.Outcome.valueOf(rs.getString("outcome")), rs.getString("node"));
    }

    // -------------------------------------------------------------------- outbox

    /** Interactions waiting for the database (on disk, or in memory if the disk failed). */
    public int pendingInteractions() {
        return recorder.pending();
    }

    /** Writes what waits in the outbox, if the database is there. Idempotent; called by the flusher. */
    void flushOutbox() {
        recorder.flushOutbox();
    }

    /**
     * Says exactly where interactions that are not in the database are: on disk in the outbox,
     * or only in memory (the outbox cannot be written), which is lost if the server stops.
     */
    public Health health() {
        String waiting = recorder.waiting();
        if (!db.ready()) {
            return Health.down("database not ready; " + waiting);
        }
        if (!db.available()) {
            return Health.degraded("database unavailable: callers are not identified; " + waiting);
        }
        String failing = writes.describe();
        if (failing != null) {
            return Health.degraded("database writes fail (" + failing + "); " + waiting);
        }
        return recorder.notTaken() > 0 ? Health.degraded(waiting)
                : Health.up("identify and authenticate available; outbox empty");
    }

    @Override
    public void close() {
        recorder.close();
    }

    // ------------------------------------------------------------------- helpers

    private void count(String name, String result) {
        Counter.builder(name).tag("result", result).register(meters).increment();
    }

}
