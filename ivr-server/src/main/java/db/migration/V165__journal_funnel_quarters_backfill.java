package db.migration;

import dev.ivr.server.journal.store.FunnelSummary;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Back-fills the funnel summary (V164) from the events already in the journal: each call's funnel events summed by
 * the same code the journal writer keeps it with ({@link FunnelSummary#rebuild}).
 */
public final class V165__journal_funnel_quarters_backfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        FunnelSummary.rebuild(context.getConnection(), "journal_events"); // before V171: no journal_all yet
    }
}
