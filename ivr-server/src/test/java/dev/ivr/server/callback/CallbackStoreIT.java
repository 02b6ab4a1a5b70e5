package dev.ivr.server.callback;

import dev.ivr.server.callback.store.JdbcCallbackStore;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The callbacks table (migration V50) on H2 and on a real PostgreSQL server. */
@Tag("integration")
class CallbackStoreIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aCallbackIsInsertedReplacedAndListedWhileOpen(String kind) {
        try (Database db = open(kind)) {
            CallbackStore store = new JdbcCallbackStore(db);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            StoredCallback waiting = new StoredCallback("c1", "c1", "+3612345678", "support", "WAITING", now, now, now, 0,
                    "node-1", null, "{\"callId\":\"c1\"}", now);
            store.save(waiting);
            store.save(new StoredCallback("c2", "c2", "+3612345679", "support", "DONE", now, now, now, 1, null, "completed",
                    "{}", now));
            assertThat(store.open()).containsExactly(waiting);

            StoredCallback dialing = new StoredCallback("c1", "c1", "+3612345678", "support", "DIALING", now, now, now, 0,
                    "node-2", "x".repeat(400), "{\"callId\":\"c1\"}", now.plusSeconds(1), "pbx-b");
            store.save(dialing);
            assertThat(store.get("c1")).hasValueSatisfying(c -> {
                assertThat(c.pbx()).as("the PBX of the booking call (V80)").isEqualTo("pbx-b");
                assertThat(c.state()).isEqualTo("DIALING");
                assertThat(c.owner()).isEqualTo("node-2");
                assertThat(c.reason()).hasSize(255);
                assertThat(c.enqueuedAt()).isEqualTo(now);
            });
            assertThat(store.get("c2")).hasValueSatisfying(c -> assertThat(c.isFinal()).isTrue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSaveThatComesLateNeverPutsAnOlderStateBack(String kind) {
        try (Database db = open(kind)) {
            CallbackStore store = new JdbcCallbackStore(db);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            // the node that scheduled it could not write version 1 (the database was cut); another node took it
            // over and wrote its end (version 7) first; then the first node's retry of version 1 comes
            assertThat(store.save(version("cb-1", "DONE", 7, now))).isTrue();
            assertThat(store.save(version("cb-1", "SCHEDULED", 1, now))).as("an older version: refused").isFalse();
            assertThat(store.get("cb-1")).hasValueSatisfying(c -> {
                assertThat(c.state()).isEqualTo("DONE");
                assertThat(c.version()).isEqualTo(7);
            });
            assertThat(store.open()).isEmpty();

            assertThat(store.save(version("cb-2", "SCHEDULED", 1, now))).isTrue();
            assertThat(store.save(version("cb-2", "WAITING", 2, now))).isTrue();
            assertThat(store.save(version("cb-2", "WAITING", 2, now))).as("the same version again: harmless").isTrue();
            assertThat(store.save(version("cb-2", "SCHEDULED", 1, now))).isFalse();
            assertThat(store.open()).extracting(StoredCallback::id, StoredCallback::state, StoredCallback::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("cb-2", "WAITING", 2L));
        }
    }

    private Database open(String kind) {
        String url = kind.equals("h2") ? "" : PostgresServer.get().newDatabase();
        String user = kind.equals("h2") ? "sa" : PostgresServer.USER;
        Database db = Database.open(new DatabaseConfig(url, user, "", 4, 2, Duration.ofSeconds(2)), dir);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
        return db;
    }

    private static StoredCallback version(String id, String state, long version, Instant now) {
        return new StoredCallback(id, id, "+3612345678", "support", state, now, now, null, 0, null, null, "{}",
                now.plusMillis(version), null, version);
    }
}
