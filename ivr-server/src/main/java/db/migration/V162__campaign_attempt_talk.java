package db.migration;

import dev.ivr.server.journal.store.CampaignTalk;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/**
 * The agents' talk, hold and wrap-up on each campaign attempt's call, kept on the attempt's row by the journal writer
 * (issue 20; {@link CampaignTalk}): the campaign report reads them instead of the agents' events. Adds the columns
 * (H2 and PostgreSQL; re-runnable) and back-fills them from the events already in the journal ({@link CampaignTalk#rebuild}).
 * talks: the talks that ended on the call; talk_ms, hold_ms, wrap_up_ms: their time; open_wraps, open_wrap_ms: the
 * wrap-ups not ended yet and the sum of the epoch milliseconds they began at; handled_by: the agent of the last talk.
 */
public final class V162__campaign_attempt_talk extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            // re-runnable ("if not exists"; the back-fill sets every row again), as the migrations after V156 must be
            for (String column : new String[] {"talks", "talk_ms", "hold_ms", "wrap_up_ms", "open_wraps", "open_wrap_ms"}) {
                st.execute("alter table campaign_attempts add column if not exists " + column + " bigint default 0 not null");
            }
            st.execute("alter table campaign_attempts add column if not exists handled_by varchar(64)");
        }
        CampaignTalk.rebuild(context.getConnection());
    }
}
