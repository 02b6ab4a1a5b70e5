package db.migration;

import dev.ivr.server.journal.store.AgentSummary;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Back-fills the per-hour agent summary (V166) from the events already in the journal, by the same code the journal
 * writer keeps it with ({@link AgentSummary#rebuildHours}); re-runnable (it empties the table first).
 */
public final class V167__journal_agent_hours_backfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        AgentSummary.rebuildHours(context.getConnection());
    }
}
