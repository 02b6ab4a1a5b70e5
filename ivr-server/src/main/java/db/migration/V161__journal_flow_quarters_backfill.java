package db.migration;

import dev.ivr.server.journal.store.FlowSummary;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Back-fills the flow summary (V160) from the events already in the journal: each call's flow events summed by the
 * same code the journal writer keeps it with ({@link FlowSummary#rebuild}).
 */
public final class V161__journal_flow_quarters_backfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        FlowSummary.rebuild(context.getConnection(), "journal_events"); // before V171: no journal_all yet
    }
}
