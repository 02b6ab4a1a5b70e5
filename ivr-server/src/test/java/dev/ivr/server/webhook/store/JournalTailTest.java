package dev.ivr.server.webhook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.store.JournalReader;
import dev.ivr.testsupport.Threads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's journal, tailed: a row committed late with a lower sequence number is still handed over, once. */
class JournalTailTest {
    @TempDir
    Path tmp;

    static void insert(Database db, long seq, String id, Instant at) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("insert into journal_events (seq, event_id, occurred_at, event_day,"
                     + " event_type, call_id, server) values (?, ?, ?, ?, 'CALL_ENDED', 'c1', 'n1')")) {
            ps.setLong(1, seq);
            ps.setString(2, id);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setDate(4, java.sql.Date.valueOf(at.atZone(java.time.ZoneOffset.UTC).toLocalDate()));
            ps.executeUpdate();
        }
    }

    @Test
    void rowsCommittedOutOfSequenceOrderAreHandedOverOnce() throws Exception {
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp)) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            insert(db, 1, "before", Instant.now().minusSeconds(1));
            try (JournalTail tail = new JournalTail(new JournalReader(db.dataSource()), db::isReady, Duration.ofMillis(20),
                    Clock.systemUTC())) {
                assertThat(Threads.platformNamed("journal-tail")).as("reads and decodes rows: a platform thread").isNotEmpty();
                List<String> heard = new CopyOnWriteArrayList<>();
                AutoCloseable sub = tail.subscribe(e -> heard.add(e.id()));
                insert(db, 10, "ten", Instant.now());
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("ten"));
                insert(db, 5, "five", Instant.now()); // another server's transaction that committed later
                insert(db, 11, "eleven", Instant.now());
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("five") && heard.contains("eleven"));
                Thread.sleep(200); // more polls: nothing twice
                assertThat(heard).as("'before' happened before anyone listened").containsExactly("ten", "five", "eleven");
                sub.close();
            }
        }
    }
}
