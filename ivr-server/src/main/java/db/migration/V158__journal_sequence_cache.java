package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.SQLException;

/**
 * On H2 only: the journal's row numbers ({@code journal_events.seq}, an identity column) are handed out 1,000 at a
 * time instead of 32. H2 keeps an identity's next value in the database and writes it, in a commit of its own, each
 * time the values it reserved run out; with {@code WRITE_DELAY=0} (the default file database) each such commit is
 * a chunk written and forced to disk. At 32 a server writing 900 journal events a second (100 new calls a second
 * through the opening) made 28 such commits a second, more than the journal's own: 8% of the server's CPU in the
 * call-set-up profile (issue 16). H2's reservation is the database's, not a session's: the numbers are still handed
 * out in order, and a crash skips at most the unused reserved ones (the journal needs order, not contiguity).
 *
 * <p>Not on PostgreSQL: there a sequence's cache is per session, so two connections would hand out numbers up to a
 * cache apart and rows would commit far out of number order, which the webhook tail's overlap ({@code JournalTail})
 * does not cover; PostgreSQL's sequence costs no commit of its own anyway. A Java migration because the two
 * databases need different statements and every SQL migration is one script for both.
 */
public class V158__journal_sequence_cache extends BaseJavaMigration {
    /** How many journal row numbers H2 reserves at a time. */
    static final int CACHE = 1000;

    @Override
    public void migrate(Context context) throws SQLException {
        JournalSequenceCache.setOnH2(context, CACHE);
    }
}
