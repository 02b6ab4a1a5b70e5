package dev.ivr.server.crm.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.CustomerProfile;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.csv.CustomerExport;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.pin.PinPepper;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.MutableClock;
import dev.ivr.testsupport.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.slf4j.LoggerFactory;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.times;

/**
 * The CRM store's behaviour, the same on every database: subclasses run it on H2 and on a real
 * PostgreSQL server. Each test gets a fresh, empty database migrated by the real Flyway scripts.
 */
abstract class CrmStoreContract {
    /** A PIN that must never show up in logs, tables or files. */
    static final String PIN = "739164";
    /** How long a test waits for the store's writer to take what it was handed. */
    static final Duration WRITTEN = Duration.ofSeconds(30);
    static final String SAMPLE = """
            id,first_name,last_name,language,tier,phones,accounts,pins,attr.segment,attr.open_ticket
            C1,Anna,Kovacs,hu,gold,06 1 234 5678;+36 30 123 4567,10001,739164,retail,T-42
            C2,Bela,Nagy,en,silver,+36 1 555 0101,10002;10003,1111;2222,business,
            C3,Cecilia,Nagy,en,,+36 1 555 0101,,,,
            """;

    /** A database served over TCP, so that a proxy can stand between the store and it. */
    interface Served extends AutoCloseable {
        int port();

        String url(int port);

        @Override
        void close();
    }

    /** The JDBC URL of a fresh, empty database ("" = the default H2 file database in the data directory). */
    protected abstract String newDatabaseUrl();

    protected abstract String user();

    /** A fresh database reachable over TCP (H2 in server mode, or PostgreSQL). */
    protected abstract Served serve(Path dir) throws Exception;

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:00:00Z"));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    // ---------------------------------------------------------------- fixtures

    static CrmConfig crmConfig() {
        return ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1",
                "IVR_CRM_RETRY_DATABASE_AFTER", "1s", "IVR_CRM_LOCKOUT_MAX_FAILURES", "3",
                "IVR_CRM_LOCKOUT_WINDOW", "15m", "IVR_CRM_LOCKOUT_DURATION", "30m")).crm();
    }

    Database database(String url, Path dataDir) {
        Database db = Database.open(new DatabaseConfig(url, user(), "", 5, 2, Duration.ofMillis(500)), dataDir);
        assertThat(db.awaitReady(Duration.ofSeconds(30))).as("database ready: " + db.health().detail()).isTrue();
        toClose.add(db);
        return db;
    }

    Database database() {
        return database(newDatabaseUrl(), tmp.resolve("data"));
    }

    JdbcCrmStore store(Database db, String name) {
        return store(db, name, new PinHasher(crmConfig().pinHash()));
    }

    JdbcCrmStore store(Database db, String name, PinHasher hasher) {
        JdbcCrmStore s = new JdbcCrmStore(db.dataSource(), db::isReady, crmConfig(), hasher, tmp.resolve(name + "-outbox"),
                name, clock, new SimpleMeterRegistry());
        toClose.add(s);
        return s;
    }

    CustomerImport.Report importCsv(Database db, String csv) throws Exception {
        return importCsv(db, csv, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE);
    }

    CustomerImport.Report importCsv(Database db, String csv, CustomerImport.Options options, CustomerImport.Progress progress)
            throws Exception {
        Path file = Files.createTempFile(tmp, "customers", ".csv");
        Files.writeString(file, csv);
        CrmConfig cfg = crmConfig();
        return new CustomerImport(db.dataSource(), new PhoneNumbers(cfg.region()), new PinHasher(cfg.pinHash()), clock)
                .run(file, options, progress);
    }

    static Interaction interaction(String callId, Interaction.Outcome outcome, Instant start) {
        return new Interaction(callId, "3612345678", "1000", "customer-service", "7", start, start.plusSeconds(95),
                List.of("welcome", "identify", "authenticate", "menu"), Map.of("menu", "2", "account", "10001"), "C1",
                "OK", outcome == Interaction.Outcome.SELF_SERVED ? null : "billing",
                outcome == Interaction.Outcome.ROUTED ? "agent-7" : null, Duration.ofSeconds(12), Duration.ofSeconds(60),
                outcome, "node-a");
    }

    static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every value of every row of a table, as text. */
    static String dump(Database db, String table) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    sb.append(rs.getString(i)).append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    // --------------------------------------------------------------- identify

    @Test
    void identifiesACallerByTheirNumberInAnyFormatThePbxSends() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        for (String ani : List.of("3612345678", "+3612345678", "06 1 234 5678", "+36 1 234 5678", "0036 1 234 5678",
                "(06-1) 234-5678", "\"Anna Kovacs\" <3612345678>", "06301234567")) {
            Identification id = store.identify(ani);
            assertThat(id.status()).as(ani).isEqualTo(Identification.Status.IDENTIFIED);
            assertThat(id.customers()).extracting(Customer::id).containsExactly("C1");
        }
        Customer anna = store.identify("3612345678").customers().get(0);
        assertThat(anna.name()).isEqualTo("Anna Kovacs");
        assertThat(anna.language()).isEqualTo("hu");
        assertThat(anna.tier()).isEqualTo("gold");
        assertThat(anna.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("segment", "retail", "open_ticket", "T-42"));
    }

    @Test
    void aSharedNumberIsAmbiguousAndAnUnknownOneUnknown() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        Identification shared = store.identify("06 1 555 0101");
        assertThat(shared.status()).isEqualTo(Identification.Status.AMBIGUOUS);
        assertThat(shared.customers()).extracting(Customer::id).containsExactly("C2", "C3");
        assertThat(store.identify("+36 1 999 9999").status()).isEqualTo(Identification.Status.UNKNOWN);
        assertThat(store.identify("+44 20 7946 0958").status()).isEqualTo(Identification.Status.UNKNOWN);
    }

    @Test
    void withheldAndUnusableNumbersAreWithheld() throws Exception {
        JdbcCrmStore store = store(database(), "a");
        for (String ani : new String[]{null, "", "unknown", "anonymous", "Anonymous", "restricted", "private", "abc", "12"}) {
            assertThat(store.identify(ani).status()).as(String.valueOf(ani)).isEqualTo(Identification.Status.WITHHELD);
        }
    }

    // ------------------------------------------------- most frequent values

    @Test
    void theMostFrequentValuesOfTheAskedColumnsComeFirstBoundedByTheLimit() throws Exception {
        Database db = database();
        importCsv(db, """
                id,first_name,last_name,language,tier
                C1,Anna,Kovacs,hu,gold
                C2,Bela,Nagy,en,silver
                C3,Cecilia,Nagy,en,
                C4,Anna,Szabo,en,gold
                C5,Anna,Kiss,en,gold
                C6,Bela,Kiss,en,
                """);
        JdbcCrmStore store = store(db, "a");
        // by first name: Anna 3, Bela 2, Cecilia 1; only the fields asked for are set
        assertThat(store.mostFrequentValues(Set.of("first_name"), 2)).containsExactly(
                new Customer(null, "Anna", null, null, null, Map.of()), new Customer(null, "Bela", null, null, null, Map.of()));
        // by language and first name: ties in the columns' order (language, first name)
        assertThat(store.mostFrequentValues(Set.of("first_name", "language"), 10))
                .extracting(c -> c.language() + " " + c.firstName())
                .containsExactly("en Anna", "en Bela", "en Cecilia", "hu Anna");
        assertThat(store.mostFrequentValues(Set.of("last_name"), 1)).extracting(Customer::lastName).containsExactly("Kiss");
        // off, and columns it does not group by (an id is every customer's own)
        assertThat(store.mostFrequentValues(Set.of("first_name"), 0)).isEmpty();
        assertThat(store.mostFrequentValues(Set.of("id", "attributes"), 10)).isEmpty();
    }

    // ----------------------------------------------------------- authenticate

    @Test
    void theRightPinAuthenticatesAndReturnsTheOwner() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        Authentication ok = store.authenticate("10001", PIN, "call-1");
        assertThat(ok.status()).isEqualTo(Authentication.Status.OK);
        assertThat(ok.customer().id()).isEqualTo("C1");
        assertThat(ok.customer().attributes()).containsEntry("segment", "retail");
        assertThat(store.authenticate("1000-1", PIN, "call-2").status()).as("separators typed or imported are ignored")
                .isEqualTo(Authentication.Status.OK);
        assertThat(count(db, "select count(*) from auth_attempts where outcome = 'OK' and call_id = 'call-1'")).isEqualTo(1);
    }

    @Test
    void anUnknownAccountLooksAndCostsLikeAWrongPin() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        PinHasher hasher = Mockito.spy(new PinHasher(crmConfig().pinHash()));
        JdbcCrmStore store = store(db, "a", hasher);

        Authentication wrong = store.authenticate("10001", "0000", "call-1");
        Mockito.verify(hasher, times(1)).verify(eq("0000"), anyString());
        Authentication unknown = store.authenticate("99999", "0000", "call-2");
        // the unknown account is checked against a dummy hash of the same cost: the same work, the same time
        Mockito.verify(hasher, times(1)).verify(eq("0000"), isNull());

        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(Authentication.Status.FAILED);
        assertThat(unknown.attemptsLeft()).isEqualTo(wrong.attemptsLeft()).isEqualTo(2);
        assertThat(unknown.customer()).isNull();
        // and it locks like a real one, so a lock does not tell either
        store.authenticate("99999", "0000", "call-2");
        Authentication locked = store.authenticate("99999", "0000", "call-2");
        assertThat(locked.status()).isEqualTo(Authentication.Status.LOCKED);
        assertThat(locked.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
    }

    @Test
    void wrongPinsLockTheAccountAcrossCallsAndServers() throws Exception {
        String url = newDatabaseUrl();
        Database dbA = database(url, tmp.resolve("data"));
        importCsv(dbA, SAMPLE);
        Database dbB = database(url, tmp.resolve("data"));
        JdbcCrmStore serverA = store(dbA, "server-a");
        JdbcCrmStore serverB = store(dbB, "server-b");

        // call 1 on server A: two wrong PINs (retries inside the call)
        assertThat(serverA.authenticate("10001", "1111", "call-1").attemptsLeft()).isEqualTo(2);
        assertThat(serverA.authenticate("10001", "2222", "call-1").attemptsLeft()).isEqualTo(1);
        // call 2, another server: the third wrong PIN locks
        Authentication third = serverB.authenticate("10001", "3333", "call-2");
        assertThat(third.status()).isEqualTo(Authentication.Status.LOCKED);
        // even the right PIN is refused now, on either server
        assertThat(serverA.authenticate("10001", PIN, "call-3").status()).isEqualTo(Authentication.Status.LOCKED);
        assertThat(serverB.authenticate("10001", PIN, "call-3").status()).isEqualTo(Authentication.Status.LOCKED);
        assertThat(serverB.profile("C1").orElseThrow().accounts().get(0).lockedUntil()).isEqualTo(third.lockedUntil());

        clock.advance(Duration.ofMinutes(31));
        assertThat(serverB.authenticate("10001", PIN, "call-4").status()).isEqualTo(Authentication.Status.OK);
    }

    @Test
    void aLockSurvivesARestart() throws Exception {
        String url = newDatabaseUrl();
        Path data = tmp.resolve("data");
        Database db = database(url, data);
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        for (int i = 0; i < 3; i++) {
            store.authenticate("10002", "9999", "call-" + i);
        }
        store.close();
        db.close();

        Database again = database(url, data);
        JdbcCrmStore restarted = store(again, "a");
        assertThat(restarted.authenticate("10002", "1111", "call-9").status()).isEqualTo(Authentication.Status.LOCKED);
        assertThat(restarted.authenticate("10003", "2222", "call-9").status()).as("other accounts are not locked")
                .isEqualTo(Authentication.Status.OK);
    }

    @Test
    void concurrentWrongPinsAreCountedExactly() throws Exception {
        String url = newDatabaseUrl();
        Database dbA = database(url, tmp.resolve("data"));
        importCsv(dbA, SAMPLE);
        Database dbB = database(url, tmp.resolve("data"));
        JdbcCrmStore[] servers = {store(dbA, "a"), store(dbB, "b")};
        List<Callable<Authentication>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            JdbcCrmStore s = servers[i % 2];
            String callId = "call-" + i;
            calls.add(() -> s.authenticate("10002", "0000", callId));
        }
        List<Authentication.Status> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Authentication> f : pool.invokeAll(calls)) {
                results.add(f.get().status());
            }
        }
        assertThat(results).filteredOn(s -> s == Authentication.Status.FAILED).hasSize(2);
        assertThat(results).filteredOn(s -> s == Authentication.Status.LOCKED).hasSize(6);
        assertThat(count(dbA, "select count(*) from auth_attempts where account_number = '10002'")).isEqualTo(8);
    }

    @Test
    void failuresOutsideTheWindowStartAFreshCount() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        store.authenticate("10001", "0000", "call-1");
        store.authenticate("10001", "0000", "call-1");
        clock.advance(Duration.ofMinutes(16));
        Authentication third = store.authenticate("10001", "0000", "call-2");
        assertThat(third.status()).isEqualTo(Authentication.Status.FAILED);
        assertThat(third.attemptsLeft()).isEqualTo(2);
        assertThat(store.authenticate("10001", PIN, "call-2").status()).isEqualTo(Authentication.Status.OK);
        assertThat(store.authenticate("10001", "0000", "call-3").attemptsLeft()).as("a good PIN clears the count").isEqualTo(2);
    }

    @Test
    void aBlockedAccountFailsEvenWithTheRightPin() throws Exception {
        Database db = database();
        importCsv(db, """
                id,accounts,pins,statuses
                C9,55501,4321,blocked
                """);
        JdbcCrmStore store = store(db, "a");
        assertThat(store.authenticate("55501", "4321", "call-1").status()).isEqualTo(Authentication.Status.FAILED);
    }

    @Test
    void aHashOfAnOlderCostIsUpgradedAtTheNextGoodPin() throws Exception {
        Database db = database();
        String oldHash = new PinHasher(new dev.ivr.server.config.PinHashConfig(128, 2, 1)).hash("4321");
        assertThat(importCsv(db, "id,accounts,pin_hashes\nC9,55501,\"" + oldHash + "\"\n").rejected()).isEmpty();
        JdbcCrmStore store = store(db, "a");
        assertThat(store.authenticate("55501", "4321", "call-1").status()).isEqualTo(Authentication.Status.OK);
        String stored = dump(db, "accounts");
        assertThat(stored).doesNotContain(oldHash).contains("$argon2id$v=19$m=256,t=1,p=1$");
        assertThat(store.authenticate("55501", "4321", "call-2").status()).isEqualTo(Authentication.Status.OK);
    }

    @Test
    void aHashWithoutThePepperGetsItAtTheNextGoodPin() throws Exception {
        Database db = database();
        importCsv(db, "id,accounts,pins\nC9,55501,4321\n"); // hashed as before peppers: Argon2id of the PIN alone
        assertThat(dump(db, "accounts")).doesNotContain("$pepper$");
        PinPepper pepper = PinPepper.of("the pepper of the servers sharing this db".getBytes(StandardCharsets.US_ASCII));
        JdbcCrmStore store = store(db, "a", new PinHasher(crmConfig().pinHash(), pepper));
        assertThat(store.authenticate("55501", "4321", "call-1").status()).isEqualTo(Authentication.Status.OK);
        assertThat(dump(db, "accounts")).contains("$pepper$k=" + pepper.id() + "$argon2id$v=19$m=256,t=1,p=1$");
        assertThat(store.authenticate("55501", "4321", "call-2").status()).isEqualTo(Authentication.Status.OK);
        assertThat(store.authenticate("55501", "1111", "call-3").status()).isEqualTo(Authentication.Status.FAILED);

        // a server with another pepper cannot check the PIN: UNAVAILABLE (the flow hands the caller on), never a
        // wrong PIN that counts towards a lock
        JdbcCrmStore other = store(db, "b", new PinHasher(crmConfig().pinHash(),
                PinPepper.of("a pepper no other server has, 32 bytes+".getBytes(StandardCharsets.US_ASCII))));
        for (int i = 0; i < 4; i++) {
            assertThat(other.authenticate("55501", "4321", "call-4").status()).isEqualTo(Authentication.Status.UNAVAILABLE);
        }
        assertThat(store.authenticate("55501", "4321", "call-5").status()).isEqualTo(Authentication.Status.OK);
    }

    // ------------------------------------------------------------- no PIN leaks

    @Test
    void thePinIsNeverInTheLogsTheTablesOrTheOutbox() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Level level = root.getLevel();
        root.addAppender(logs);
        root.setLevel(Level.TRACE);
        try {
            Database db = database();
            importCsv(db, SAMPLE);
            importCsv(db, "id,accounts,pins\nC4,77701," + PIN + "\n");
            importCsv(db, "id,accounts,pins\nC1,10001,12ab" + PIN + "\n"); // rejected: its message must not echo it
            JdbcCrmStore store = store(db, "a");
            store.authenticate("10001", PIN, "call-1");
            store.authenticate("10001", PIN + "0", "call-1");
            store.authenticate("88888", PIN, "call-1");
            // a flow that forgot to mask: the store masks inputs named like secrets
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("pin", PIN);
            inputs.put("account_pin", PIN);
            inputs.put("newPin2", PIN);
            inputs.put("menu", "1");
            Interaction leaky = new Interaction("call-1", "3612345678", "1000", "customer-service", "7", clock.instant(),
                    clock.instant().plusSeconds(30), List.of("authenticate"), inputs, "C1", "OK", null, null, null, null,
                    Interaction.Outcome.SELF_SERVED, "a");
            store.record(leaky);
            store.awaitRecorded(WRITTEN);
            Interaction stored = store.interaction("call-1").orElseThrow();
            assertThat(stored.inputs()).containsEntry("pin", "***").containsEntry("account_pin", "***")
                    .containsEntry("newPin2", "***").containsEntry("menu", "1");

            for (String table : List.of("interactions", "auth_attempts", "auth_lockouts", "accounts", "customers",
                    "customer_attributes", "phone_numbers")) {
                assertThat(dump(db, table)).as(table).doesNotContain(PIN);
            }
            assertThat(dump(db, "interactions")).contains("call-1");
            for (ILoggingEvent e : logs.list) {
                assertThat(e.getFormattedMessage()).doesNotContain(PIN);
                assertThat(String.valueOf(e.getMDCPropertyMap())).doesNotContain(PIN);
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(PIN);
                }
            }
            assertThat(logs.list).as("the test saw the store's log lines")
                    .anyMatch(e -> e.getFormattedMessage().contains("authentication for account"));
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
    }

    @Test
    void aRejectedPinIsNotEchoed() throws Exception {
        Database db = database();
        CustomerImport.Report r = importCsv(db, "id,accounts,pins\nC1,10001,12ab" + PIN + "\n");
        assertThat(r.rejected()).hasSize(1);
        assertThat(r.rejected().get(0).problem()).contains("pins: entry 1").doesNotContain(PIN);
    }

    // ------------------------------------------------------------- interactions

    @Test
    void anInteractionIsRecordedForEveryOutcome() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        Instant t = clock.instant();
        Map<String, Interaction> sent = new HashMap<>();
        for (Interaction.Outcome o : Interaction.Outcome.values()) {
            Interaction i = interaction("call-" + o, o, t = t.plusSeconds(60));
            sent.put(i.callId(), i);
            store.record(i);
        }
        store.awaitRecorded(WRITTEN);
        List<Interaction> history = store.history("C1", 100, 0);
        assertThat(history).extracting(Interaction::outcome)
                .containsExactlyInAnyOrder(Interaction.Outcome.values());
        for (Interaction got : history) {
            assertThat(got).usingRecursiveComparison().isEqualTo(sent.get(got.callId()));
        }
        assertThat(count(db, "select count(*) from interactions where ani_e164 = '+3612345678'")).isEqualTo(Interaction.Outcome.values().length);
    }

    @Test
    void theHistoryIsNewestFirstAndPaged() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        Instant t = clock.instant();
        for (int i = 1; i <= 5; i++) {
            store.record(interaction("call-" + i, Interaction.Outcome.ROUTED, t.plusSeconds(i * 60L)));
        }
        store.awaitRecorded(WRITTEN);
        assertThat(store.history("C1", 2, 0)).extracting(Interaction::callId).containsExactly("call-5", "call-4");
        assertThat(store.history("C1", 2, 2)).extracting(Interaction::callId).containsExactly("call-3", "call-2");
        assertThat(store.history("C1", 2, 4)).extracting(Interaction::callId).containsExactly("call-1");
        assertThat(store.history("C2", 10, 0)).isEmpty();
    }

    @Test
    void recordingTheSameCallTwiceKeepsOneRecord() throws Exception {
        Database db = database();
        JdbcCrmStore store = store(db, "a");
        Interaction i = interaction("call-1", Interaction.Outcome.ABANDONED_IN_QUEUE, clock.instant());
        store.record(i);
        store.record(i);
        store.awaitRecorded(WRITTEN);
        assertThat(count(db, "select count(*) from interactions")).isEqualTo(1);
    }

    /**
     * A call recorded again by another server (a survivor that claimed the call's checkpoint after the server that
     * committed the call's interaction died before removing it) keeps its first record, from the database or from
     * the second server's outbox alike; and the second server's durability callback still runs, so that its claim
     * on the checkpoint goes.
     */
    @Test
    void aCallRecordedAgainByAnotherServerKeepsItsFirstRecordAndTheSecondIsDurableAtOnce() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = database(served.url(proxy.port()), tmp.resolve("data"));
        JdbcCrmStore a = store(db, "a");
        JdbcCrmStore c = store(db, "c");
        Interaction routed = interaction("call-1", Interaction.Outcome.ROUTED, clock.instant());
        a.record(routed);
        a.awaitRecorded(WRITTEN);

        Interaction lost = new Interaction("call-1", routed.ani(), null, routed.flow(), routed.flowVersion(),
                routed.start(), routed.end().plusSeconds(30), List.of("welcome", "node-lost"), Map.of(), "C1", "OK",
                null, null, null, null, Interaction.Outcome.FAILED, "node-b");
        java.util.concurrent.CompletableFuture<Void> durable = new java.util.concurrent.CompletableFuture<>();
        c.record(lost, () -> durable.complete(null));
        durable.get(WRITTEN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(count(db, "select count(*) from interactions where call_id = 'call-1'")).isEqualTo(1);
        assertThat(c.interaction("call-1")).get().usingRecursiveComparison().isEqualTo(routed);

        // the database away: the second record waits in the outbox, and changes nothing once it is back
        proxy.cut();
        java.util.concurrent.CompletableFuture<Void> onDisk = new java.util.concurrent.CompletableFuture<>();
        c.record(lost, () -> onDisk.complete(null));
        onDisk.get(WRITTEN.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(c.pendingInteractions()).isEqualTo(1);
        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> c.pendingInteractions() == 0);
        assertThat(count(db, "select count(*) from interactions where call_id = 'call-1'")).isEqualTo(1);
        assertThat(count(db, "select count(*) from interactions where outcome = 'ROUTED'")).isEqualTo(1);
        assertThat(a.interaction("call-1")).get().usingRecursiveComparison().isEqualTo(routed);
        assertThat(tmp.resolve("c-outbox").resolve("rejected.jsonl")).as("not refused as bad data: no false alarm")
                .doesNotExist();
    }

    // ------------------------------------------------------------------ outage

    /**
     * What waits for a call's interaction to be durable (the flow engine deletes the call's checkpoint there) runs
     * once the writer committed it, or once it is in the outbox on disk while the database is away: never before.
     */
    @Test
    void whatWaitsForAnInteractionRunsOnceItIsInTheDatabaseOrTheOutbox() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = database(served.url(proxy.port()), tmp.resolve("data"));
        JdbcCrmStore store = store(db, "a");

        java.util.concurrent.CompletableFuture<Long> rowsThen = new java.util.concurrent.CompletableFuture<>();
        store.record(interaction("call-1", Interaction.Outcome.ROUTED, clock.instant()), () -> {
            try {
                rowsThen.complete(count(db, "select count(*) from interactions where call_id = 'call-1'"));
            } catch (SQLException e) {
                rowsThen.completeExceptionally(e);
            }
        });
        assertThat(rowsThen.get(WRITTEN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as("committed first")
                .isEqualTo(1);

        proxy.cut();
        java.util.concurrent.CompletableFuture<Integer> pendingThen = new java.util.concurrent.CompletableFuture<>();
        store.record(interaction("call-2", Interaction.Outcome.ROUTED, clock.instant()),
                () -> pendingThen.complete(store.pendingInteractions()));
        assertThat(pendingThen.get(WRITTEN.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS))
                .as("on disk first").isEqualTo(1);
        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingInteractions() == 0);
        assertThat(count(db, "select count(*) from interactions")).isEqualTo(2);
    }


    @Test
    void aDatabaseOutageMidCallLosesNoInteraction() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = database(served.url(proxy.port()), tmp.resolve("data"));
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");

        // call 1 is identified, then the database goes away in the middle of the call
        assertThat(store.identify("3612345678").status()).isEqualTo(Identification.Status.IDENTIFIED);
        proxy.cut();
        assertThat(store.authenticate("10001", PIN, "call-1").status()).isEqualTo(Authentication.Status.UNAVAILABLE);
        store.record(interaction("call-1", Interaction.Outcome.ROUTED, clock.instant()));
        // more calls during the outage go on as unidentified callers; the circuit opens
        for (int i = 2; i <= 4; i++) {
            assertThat(store.identify("3612345678").status()).isEqualTo(Identification.Status.UNAVAILABLE);
            store.record(interaction("call-" + i, Interaction.Outcome.ABANDONED_IN_IVR, clock.instant().plusSeconds(i)));
        }
        store.awaitRecorded(WRITTEN);
        // the identify path's circuit or the writer's (each its own; either may have moved to its retry by now)
        assertThat(store.health().status()).isEqualTo(dev.ivr.server.health.Health.Status.DEGRADED);
        assertThat(store.health().detail()).containsAnyOf("database unavailable", "database writes fail");
        assertThat(store.pendingInteractions()).isEqualTo(4);
        assertThatThrownBy(() -> store.history("C1", 10, 0)).isInstanceOf(CrmUnavailableException.class);

        // the server restarts during the outage: the outbox is on disk
        store.close();
        JdbcCrmStore restarted = store(db, "a");
        assertThat(restarted.pendingInteractions()).isEqualTo(4);

        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> restarted.pendingInteractions() == 0);
        assertThat(count(db, "select count(*) from interactions")).isEqualTo(4);
        for (int i = 1; i <= 4; i++) {
            assertThat(restarted.interaction("call-" + i)).isPresent();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> restarted.identify("3612345678").status() == Identification.Status.IDENTIFIED);
        // a replay of a flushed call changes nothing
        restarted.record(interaction("call-1", Interaction.Outcome.ROUTED, clock.instant()));
        restarted.awaitRecorded(WRITTEN);
        assertThat(count(db, "select count(*) from interactions")).isEqualTo(4);
        assertThat(restarted.health().status()).isEqualTo(dev.ivr.server.health.Health.Status.UP);
    }

    @Test
    void writesThatFailDoNotMakeTheIdentifyPathLookDown() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = database(served.url(proxy.port()), tmp.resolve("data"));
        importCsv(db, SAMPLE);
        JdbcCrmStore store = store(db, "a");
        assertThat(store.identify("3612345678").status()).isEqualTo(Identification.Status.IDENTIFIED);

        // only the writer meets the outage: its interactions go to the outbox, its failures open its own circuit
        proxy.cut();
        for (int i = 1; i <= 6; i++) {
            store.record(interaction("call-" + i, Interaction.Outcome.SELF_SERVED, clock.instant().plusSeconds(i)));
            store.awaitRecorded(WRITTEN);
        }
        assertThat(store.pendingInteractions()).isEqualTo(6);
        assertThat(store.health().detail()).doesNotContain("callers are not identified");

        // the database is back: identify works again (its pooled connections from before the cut may fail once)
        proxy.restore();
        await().atMost(WRITTEN).until(() -> store.identify("3612345678").status() == Identification.Status.IDENTIFIED);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingInteractions() == 0);
        assertThat(count(db, "select count(*) from interactions")).isEqualTo(6);
    }

    // ----------------------------------------------------------- import/export

    @Test
    void importReportsRejectedRowsWithLineNumbersAndImportsNothing() throws Exception {
        Database db = database();
        String csv = """
                id,first_name,phones,accounts,pins
                C1,Anna,06 1 234 5678,10001,1234
                C2,Bela,not a number,10002,1234
                C3,Cili,+36 1 555 0101,10001,1234
                ,Dora,,,
                C1,Anna again,,,
                C6,Eva,,10006;10007,1234
                """;
        CustomerImport.Report r = importCsv(db, csv);
        assertThat(r.committed()).isFalse();
        assertThat(r.rejected()).extracting(CustomerImport.Rejection::line).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(r.rejected().get(0).problem()).contains("phones: entry 1 'not a number'");
        assertThat(r.rejected().get(1).problem()).contains("accounts: entry 1 is already on line 2");
        assertThat(r.rejected().get(2).problem()).contains("id: is empty");
        assertThat(r.rejected().get(3).problem()).contains("id 'C1' is already on line 2");
        assertThat(r.rejected().get(4).problem()).contains("pins: 1 entries for 2 account(s)");
        assertThat(count(db, "select count(*) from customers")).isZero();

        CustomerImport.Report skipping = importCsv(db, csv, new CustomerImport.Options(true, false),
                CustomerImport.Progress.NONE);
        assertThat(skipping.committed()).isTrue();
        assertThat(skipping.created()).isEqualTo(1);
        assertThat(count(db, "select count(*) from customers")).isEqualTo(1);
    }

    @Test
    void typedAttributesAreCheckedOnImportByRowAndFieldAndStoredCanonical() throws Exception {
        Database db = database();
        Path file = Files.createTempFile(tmp, "typed", ".csv");
        Files.writeString(file, """
                id,first_name,attr.contract_end,attr.balance,attr.do_not_call,attr.plan,attr.free
                C1,Anna,2027-03-31,1200.50,no,Premium,anything
                C2,Bela,31/03/2027,12,yes,basic,
                C3,Cili,2027-01-10,lots,maybe,gold,
                """);
        CrmConfig cfg = crmConfig();
        CustomerImport typed = new CustomerImport(db.dataSource(), new PhoneNumbers(cfg.region()), new PinHasher(cfg.pinHash()),
                clock, dev.ivr.server.crm.attributes.AttributeSchemaTest.SCHEMA);
        CustomerImport.Report r = typed.run(file, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE);
        assertThat(r.committed()).isFalse();
        assertThat(r.rejected()).extracting(CustomerImport.Rejection::line).containsExactly(3L, 4L);
        assertThat(r.rejected().get(0).problem()).isEqualTo("attr.contract_end: '31/03/2027' is not a date (YYYY-MM-DD,"
                + " e.g. 2027-03-31) (declared date in crm.attributes)");
        assertThat(r.rejected().get(1).problem()).contains("attr.balance: 'lots' is not a number")
                .contains("attr.do_not_call: 'maybe' is not true or false").contains("attr.plan: 'gold' is not one of basic, premium");
        assertThat(count(db, "select count(*) from customers")).as("nothing half-imported").isZero();

        Files.writeString(file, """
                id,first_name,attr.contract_end,attr.balance,attr.do_not_call,attr.plan,attr.free
                C1,Anna,2027-03-31,1200.50,no,Premium,anything
                """);
        assertThat(typed.run(file, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE).committed()).isTrue();
        assertThat(store(db, "s").customer("C1").orElseThrow().attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "contract_end", "2027-03-31", "balance", "1200.5", "do_not_call", "false", "plan", "premium", "free", "anything"));
        assertThat(count(db, "select count(*) from customer_attributes where attr_name = 'balance' and attr_number = 1200.5"))
                .isEqualTo(1);

        JdbcCustomerAttributes api = new JdbcCustomerAttributes(db.dataSource(), dev.ivr.server.crm.attributes.AttributeSchemaTest.SCHEMA, clock);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("balance", "99");
        bad.put("contract_end", "tomorrow");
        assertThatThrownBy(() -> api.update("C1", bad))
                .isInstanceOfSatisfying(dev.ivr.server.crm.attributes.CustomerAttributes.InvalidAttributes.class,
                        e -> assertThat(e.fields()).containsOnlyKeys("attributes.contract_end"));
        assertThat(count(db, "select count(*) from customer_attributes where attr_name = 'balance' and attr_number = 99"))
                .as("no change of a rejected request is applied").isZero();
        Map<String, String> good = new LinkedHashMap<>();
        good.put("balance", "99");
        good.put("free", null);
        assertThat(api.update("C1", good)).hasValueSatisfying(now -> assertThat(now).containsEntry("balance", "99")
                .doesNotContainKey("free"));
        assertThat(count(db, "select count(*) from customer_attributes where attr_name = 'balance' and attr_number = 99"))
                .isEqualTo(1);
        assertThat(api.update("nobody", good)).isEmpty();
    }

    @Test
    void aDatabaseFailureInTheMiddleOfAnImportLeavesTheDatabaseAsBefore() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = database(served.url(proxy.port()), tmp.resolve("data"));
        importCsv(db, SAMPLE);
        StringBuilder csv = new StringBuilder("id,first_name,phones\n");
        for (int i = 0; i < 1500; i++) {
            csv.append("N").append(i).append(",Name").append(i).append(",+36 1 700 ").append(String.format("%04d", i)).append('\n');
        }
        CustomerImport.Progress cutAfter1200 = new CustomerImport.Progress() {
            int n;

            @Override
            public void start(long expected) {
                assertThat(expected).isEqualTo(1500);
            }

            @Override
            public void step() {
                if (++n == 1200) {
                    proxy.cut(); // two chunks of 500 are written by now, inside the transaction
                }
            }

            @Override
            public void finish() {
            }
        };
        assertThatThrownBy(() -> importCsv(db, csv.toString(), new CustomerImport.Options(false, false), cutAfter1200))
                .isInstanceOf(CustomerImport.ImportFailed.class).hasMessageContaining("nothing imported");
        proxy.restore();
        // checked on a connection of its own, not the pool's
        try (Connection c = DriverManager.getConnection(served.url(proxy.port()), user(), "");
             Statement st = c.createStatement()) {
            assertThat(single(st, "select count(*) from customers")).isEqualTo(3);
            assertThat(single(st, "select count(*) from phone_numbers where e164 like '+361700%'")).isZero();
        }
    }

    @Test
    void reimportingReplacesACustomerAndKeepsPinsNotGiven() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        CustomerImport.Report r = importCsv(db, """
                id,first_name,last_name,language,tier,phones,accounts,pins,attr.segment
                C1,Anna,Kovacs-Szabo,hu,platinum,+36 20 111 2222,10001;10009,;5555,vip
                """);
        assertThat(r.updated()).isEqualTo(1);
        assertThat(r.created()).isZero();
        JdbcCrmStore store = store(db, "a");
        CustomerProfile p = store.profile("C1").orElseThrow();
        assertThat(p.customer().lastName()).isEqualTo("Kovacs-Szabo");
        assertThat(p.customer().attributes()).containsExactly(Map.entry("segment", "vip"));
        assertThat(p.phones()).containsExactly("+36201112222");
        assertThat(p.accounts()).extracting(CustomerProfile.Account::number).containsExactly("10001", "10009");
        assertThat(store.authenticate("10001", PIN, "c").status()).isEqualTo(Authentication.Status.OK);
        assertThat(store.authenticate("10009", "5555", "c").status()).isEqualTo(Authentication.Status.OK);
        assertThat(store.identify("3612345678").status()).isEqualTo(Identification.Status.UNKNOWN);
        assertThat(importCsv(db, "id,accounts\nC2,10001\n").rejected()).singleElement()
                .satisfies(rej -> assertThat(rej.problem()).contains("accounts: entry 1 belongs to customer C1"));
    }

    @Test
    void anExportImportsIntoAnotherDatabaseWithTheSamePins() throws Exception {
        Database db = database();
        importCsv(db, SAMPLE);
        StringWriter out = new StringWriter();
        long n = new CustomerExport(db.dataSource()).run(out, true);
        assertThat(n).isEqualTo(3);
        assertThat(out.toString()).doesNotContain(PIN).startsWith(
                "id,first_name,last_name,language,tier,phones,accounts,statuses,pin_hashes,attr.open_ticket,attr.segment\n");
        assertThat(out.toString()).contains("C1,Anna,Kovacs,hu,gold,'+3612345678;+36301234567,10001,active,\"$argon2id$v=19$m=256,t=1,p=1$");

        Database other = database(newDatabaseUrl(), tmp.resolve("other"));
        CustomerImport.Report r = importCsv(other, out.toString());
        assertThat(r.rejected()).isEmpty();
        assertThat(r.created()).isEqualTo(3);
        JdbcCrmStore store = store(other, "b");
        assertThat(store.authenticate("10003", "2222", "c").status()).isEqualTo(Authentication.Status.OK);
        StringWriter again = new StringWriter();
        new CustomerExport(other.dataSource()).run(again, true);
        assertThat(again.toString()).isEqualTo(out.toString());
    }
}
