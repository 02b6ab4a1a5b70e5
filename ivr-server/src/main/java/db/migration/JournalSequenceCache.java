package db.migration;

import dev.ivr.server.db.Dialect;
import org.flywaydb.core.api.migration.Context;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The body V158 and V169 share: on H2 only, how many journal row numbers ({@code journal_events.seq}) the database
 * reserves at a time; nothing on PostgreSQL (why: V158). Not a migration itself (Flyway runs only the classes named
 * {@code V<version>__...} that implement its migration interface); each migration stays a class of its own with its
 * version, and a Java migration's checksum is not taken from its body, so moving the body here changes none.
 */
final class JournalSequenceCache {
    private JournalSequenceCache() {
    }

    /** Sets the cache of the journal's sequence to {@code cache} on H2; re-runnable (the same cache again changes nothing). */
    static void setOnH2(Context context, int cache) throws SQLException {
        if (Dialect.of(context.getConnection()) != Dialect.H2) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("alter table journal_events alter column seq set cache " + cache);
        }
    }
}
