package dev.ivr.server.crm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.db.Database;
import dev.ivr.server.db.WriteFailures;
import dev.ivr.testsupport.Threads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interaction writer gathers what calls hand over within its linger into one transaction (one commit, on H2 one
 * chunk written, instead of one per call), stops lingering when someone waits for what it holds, and writes what it
 * holds when the store closes: the linger changes how many commits, never what is written.
 */
class InteractionBatchesTest {
    @TempDir
    Path tmp;
    private Database db;
    private InteractionRecorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The database's data source, counting the commits made through it. */
    private static final class CountingCommits implements DataSource {
        final DataSource inner;
        final AtomicInteger commits = new AtomicInteger();

        CountingCommits(DataSource inner) {
            this.inner = inner;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = inner.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            commits.incrementAndGet();
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return inner.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            inner.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            inner.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return inner.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return inner.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return inner.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return inner.isWrapperFor(iface);
        }
    }

    private CountingCommits open(Duration linger) {
        db = Database.open(new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        CountingCommits ds = new CountingCommits(db.dataSource());
        recorder = new InteractionRecorder(new DatabaseGuard(ds, db::isReady, Duration.ofSeconds(1)),
                new DatabaseGuard(ds, db::isReady, Duration.ofSeconds(1)), new WriteFailures(), new PhoneNumbers("HU"),
                List.of("pin"), tmp.resolve("outbox"), Clock.systemUTC(), "node-a", Duration.ofSeconds(1),
                new SimpleMeterRegistry(), 1_000, linger);
        return ds;
    }

    private static Interaction interaction(String callId) {
        Instant t = Instant.parse("2026-12-04T03:00:00Z");
        return new Interaction(callId, "3612345678", "1000", "simple", "1", t, t.plusSeconds(20),
                List.of("welcome", "main-menu"), Map.of("menu", "1", "pin", "1234"), null, null, null, null, null, null,
                Interaction.Outcome.SELF_SERVED, "node-a");
    }

    private long rows() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from interactions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theCallsOfALingerGoInOneCommit() throws Exception {
        CountingCommits ds = open(Duration.ofSeconds(3));
        AtomicInteger durable = new AtomicInteger();
        for (int i = 0; i < 40; i++) {
            recorder.record(interaction("call-" + i), durable::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> durable.get() == 40);
        assertThat(rows()).isEqualTo(40);
        assertThat(ds.commits.get()).as("one transaction for the forty").isEqualTo(1);
        // the writers compute (H2 inserts and commits): platform threads, so the calls' carriers are not held
        assertThat(List.of("crm-writer", "crm-outbox"))
                .allSatisfy(name -> assertThat(Threads.platformNamed(name)).as(name).isNotEmpty());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select inputs from interactions where call_id = 'call-7'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("\"menu\":\"1\"").doesNotContain("1234"); // sanitised as before
        }
    }

    @Test
    void moreThanABatchIsSplitAtTheBatchSize() throws Exception {
        CountingCommits ds = open(Duration.ofSeconds(3));
        int n = InteractionRecorder.BATCH + 10;
        for (int i = 0; i < n; i++) {
            recorder.record(interaction("call-" + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == n);
        assertThat(ds.commits.get()).isEqualTo(2);
    }

    @Test
    void whoWaitsForTheWriterDoesNotWaitForItsLinger() throws Exception {
        open(Duration.ofHours(1));
        recorder.record(interaction("call-1"));
        recorder.awaitHandedOver(Duration.ofSeconds(30));
        assertThat(rows()).as("written without waiting the hour").isEqualTo(1);
        assertThat(recorder.inWriter()).isZero();
    }

    @Test
    void whatTheWriterLingersOnIsPendingButNotRefusedByTheDatabase() throws Exception {
        open(Duration.ofHours(1));
        recorder.record(interaction("call-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.inWriter() == 1);
        assertThat(recorder.pending()).isEqualTo(1);
        assertThat(recorder.notTaken()).as("the store's health is not degraded by a batch in the making").isZero();
        recorder.awaitHandedOver(Duration.ofSeconds(30));
        assertThat(recorder.pending()).isZero();
    }

    @Test
    void closingWritesWhatTheWriterHolds() throws Exception {
        open(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            recorder.record(interaction("call-" + i));
        }
        recorder.close();
        recorder = null;
        assertThat(rows()).isEqualTo(3);
    }
}
