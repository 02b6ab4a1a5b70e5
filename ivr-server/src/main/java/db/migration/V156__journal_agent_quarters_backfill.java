package db.migration;

import dev.ivr.server.journal.store.AgentSummary;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Back-fills the agent summary (V155) from the events already in the journal: each agent's timeline summed by the
 * same code the journal writer keeps it with ({@link AgentSummary#rebuild}), which SQL alone could not cut into quarter
 * hours the same way on H2 and PostgreSQL.
 */
public final class V156__journal_agent_quarters_backfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        AgentSummary.rebuild(context.getConnection());
    }
}
