package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.SQLException;

/**
 * On H2 only: the journal's row numbers ({@code journal_events.seq}) are reserved 100,000 at a time instead of 1,000
 * (V158). Each time a reservation runs out H2 commits the identity's next value on its own, and with
 * {@code WRITE_DELAY=0} that commit stores a chunk with every page the journal writer's open batch has dirtied so far
 * (the tenth round measured 418 KB for such a store, 5% of the writer's CPU samples); at 1,000 that was one extra
 * chunk per six batches of the simple flow, at 100,000 one per 600. H2's reservation is the database's, not a
 * session's: numbers are still handed out in order whichever connection writes, and a crash skips at most the
 * unused reserved ones. No reader needs them dense: the webhook and event-stream tail ({@code JournalTail}) and the
 * live KPIs ({@code LiveKpis}) read "after" a number they saw, the reports use {@code seq} only to order rows of the
 * same instant. A skip of up to 100,000 after a crash leaves a {@code bigint} room for ages.
 *
 * <p>Not on PostgreSQL, for the reason given on V158 (a sequence's cache there is per session: numbers up to a cache
 * apart would commit out of order, beyond the tail's overlap). Re-runnable: setting the same cache again changes
 * nothing.
 */
public class V169__journal_sequence_cache_larger extends BaseJavaMigration {
    /** How many journal row numbers H2 reserves at a time. */
    static final int CACHE = 100_000;

    @Override
    public void migrate(Context context) throws SQLException {
        JournalSequenceCache.setOnH2(context, CACHE);
    }
}
