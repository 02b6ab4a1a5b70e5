package db.migration;

import dev.ivr.server.db.Dialect;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A call's node events ({@code CALL_NODE}, six of the simple flow's eight journal rows) in a narrow table of their
 * own (issue 16, seventeenth round): {@code journal_nodes}, three B-trees (the row map by {@code seq}, the unique
 * {@code (call_id, event_id)} that refuses a replay and finds a call's nodes, {@code occurred_at} for the readers by
 * time) instead of {@code journal_events}' six, and the columns a node event has. On the embedded H2 database each
 * B-tree a row is written into costs the journal writer about 2.6 KB and its CPU (docs/benchmarks.md, "seventeenth
 * round: a call's path ... (jn21)").
 *
 * <p>The readers of node events read the view {@code journal_all} (both tables, {@code journal_events}' columns;
 * a node row's {@code event_type} is {@code 'CALL_NODE'}, its queue, agent, duration, detail, reason and customer
 * null, as they always were); both databases push a reader's conditions into each half. Node events written before
 * (rows of {@code journal_events}) stay where they are and are read through the same view: no data moves.
 *
 * <p>Both tables number their rows from one sequence, {@code journal_seq}, so that the event stream's and the live
 * KPIs' "after row n" ({@code seq > ?}, {@code order by seq}) still sees every event once, in the order written:
 * {@code journal_events.seq} stops being an identity column and takes its default from the sequence, which starts
 * after the last row. On H2 the sequence reserves 100,000 numbers at a time (V169, the same reason); on PostgreSQL
 * none (V158's reason). Re-runnable: each step is made only when it is still to do.
 */
public class V171__journal_nodes extends BaseJavaMigration {
    /** How many journal row numbers H2 reserves at a time (V169). */
    static final int H2_CACHE = 100_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean h2 = Dialect.of(c) == Dialect.H2;
        try (Statement s = c.createStatement()) {
            if (identity(c)) {
                // first the identity goes (on PostgreSQL this locks the table until the migration commits: no row
                // is numbered by the old way after the sequence's start is read)
                s.execute("alter table journal_events alter column seq drop identity");
            }
            if (!sequenceExists(c)) {
                long next;
                try (ResultSet rs = s.executeQuery("select coalesce(max(seq), 0) + 1 from journal_events")) {
                    rs.next();
                    next = rs.getLong(1);
                }
                s.execute("create sequence journal_seq start with " + next + (h2 ? " cache " + H2_CACHE : ""));
            }
            s.execute("alter table journal_events alter column seq set default "
                    + (h2 ? "next value for journal_seq" : "nextval('journal_seq')"));
            s.execute("create table if not exists journal_nodes ("
                    + " seq bigint default " + (h2 ? "next value for journal_seq" : "nextval('journal_seq')") + " primary key,"
                    + " event_id varchar(40) not null,"
                    + " occurred_at timestamp with time zone not null,"
                    + " event_day date not null,"
                    + " call_id varchar(128) not null,"
                    + " flow varchar(200),"
                    + " flow_node varchar(200),"
                    + " server varchar(100),"
                    + " constraint journal_nodes_call_event unique (call_id, event_id))");
            s.execute("create index if not exists journal_nodes_by_time on journal_nodes (occurred_at)");
            s.execute("create or replace view journal_all as"
                    + " select seq, event_id, occurred_at, event_day, event_type, call_id, flow, flow_node, queue,"
                    + " agent_id, duration_ms, detail, reason, server, customer_id from journal_events"
                    + " union all"
                    + " select seq, event_id, occurred_at, event_day, cast('CALL_NODE' as varchar(32)), call_id, flow,"
                    + " flow_node, cast(null as varchar(200)), cast(null as varchar(200)), cast(null as bigint),"
                    + " cast(null as varchar(500)), cast(null as varchar(200)), server, cast(null as varchar(64))"
                    + " from journal_nodes");
        }
    }

    private static boolean identity(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select is_identity from information_schema.columns"
                + " where lower(table_name) = 'journal_events' and lower(column_name) = 'seq'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "YES".equalsIgnoreCase(rs.getString(1));
            }
        }
    }

    private static boolean sequenceExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.sequences"
                + " where lower(sequence_name) = 'journal_seq'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
