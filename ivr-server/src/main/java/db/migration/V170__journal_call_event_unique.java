package db.migration;

import dev.ivr.server.db.Dialect;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One B-tree fewer per journal row (issue 16, sixteenth round): the unique constraint on {@code event_id} (V40) and
 * the call index {@code journal_events_by_call (call_id)} (V40) become one unique constraint
 * {@code journal_events_call_event (call_id, event_id)}, nulls not distinct. Every journal row is written into each of
 * the table's B-trees, and on the embedded H2 database each costs the writer about 2.6 KB and its share of the CPU per
 * row (MVStore's copy-on-write: the insert and the commit each copy the leaf and the pages above it); seven B-trees
 * were 20.4 KB a row, six are 17.9 KB (docs/benchmarks.md, "sixteenth round: what a call's journal rows cost").
 *
 * <p>What each did is kept. A replayed event (the same id: the outbox after a crash, a hold event that every server
 * sees with the same name-based id) has the same call id, so it is still refused ({@code on conflict do nothing}),
 * also when it has no call ({@code nulls not distinct}: two nulls are the same call). The readers of a call's events
 * ({@code call_id = ?}, {@code call_id in (...)}) use the constraint's index, whose first column is the call id; the
 * summary writer looks its events up by call id and event id ({@code JournalSummary}).
 *
 * <p>{@code nulls not distinct} is standard SQL (2023) that H2 2.2+ and PostgreSQL 15+ have; a Java migration because
 * on an older PostgreSQL it leaves the two as they were (the readers and the writer work with either layout), and so
 * that it can be run again: each step is made only when it is still to do.
 */
public class V170__journal_call_event_unique extends BaseJavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(V170__journal_call_event_unique.class);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        var meta = c.getMetaData();
        if (Dialect.of(c) == Dialect.POSTGRESQL && meta.getDatabaseMajorVersion() < 15) {
            LOG.info("PostgreSQL {} has no unique ... nulls not distinct: the journal keeps its event id constraint and"
                    + " call index", meta.getDatabaseProductVersion());
            return;
        }
        try (Statement s = c.createStatement()) {
            // the new one first: the event ids are unique at every step
            if (!constraintExists(c, "journal_events_call_event")) {
                s.execute("alter table journal_events add constraint journal_events_call_event"
                        + " unique nulls not distinct (call_id, event_id)");
            }
            s.execute("drop index if exists journal_events_by_call");
            s.execute("alter table journal_events drop constraint if exists journal_events_event_id");
        }
    }

    private static boolean constraintExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.table_constraints"
                + " where lower(table_name) = 'journal_events' and lower(constraint_name) = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
