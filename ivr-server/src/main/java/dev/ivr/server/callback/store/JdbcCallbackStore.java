package dev.ivr.server.callback.store;

import dev.ivr.server.callback.CallbackStore;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Callbacks in the {@code callbacks} table (migrations V50, V80, V163), on the calls' pool. */
public final class JdbcCallbackStore implements CallbackStore {
    private static final String COLUMNS = "id, call_id, number, queue, state, due_at, requested_at, enqueued_at, attempts,"
            + " owner_node, reason, request, updated_at, pbx, version";

    private final Database database;

    public JdbcCallbackStore(Database database) {
        this.database = database;
    }

    /**
     * Inserts the row, or replaces it unless it holds a higher version: a save retried late (the database was away,
     * or another node's save of a later version committed first) leaves the newer state in place. Answers whether
     * the row now holds this version.
     */
    @Override
    public boolean save(StoredCallback c) {
        if (!database.isReady()) {
            throw new IllegalStateException("the database is not available");
        }
        try (Connection con = database.dataSource().getConnection()) {
            con.setAutoCommit(false);
            try {
                boolean saved = update(con, c) || insert(con, c);
                con.commit();
                return saved;
            } catch (SQLException e) {
                con.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // another node inserted the same callback between this update and this insert: replace its row
                // if this version is not older
                boolean saved = update(con, c);
                con.commit();
                return saved;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("callback " + c.id() + " not saved: " + e.getMessage(), e);
        }
    }

    /** Replaces the row where it holds no higher version; false when there is no row or a newer one. */
    private static boolean update(Connection con, StoredCallback c) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("update callbacks set call_id = ?, number = ?, queue = ?,"
                + " state = ?, due_at = ?, requested_at = ?, enqueued_at = ?, attempts = ?, owner_node = ?, reason = ?,"
                + " request = ?, updated_at = ?, pbx = ?, version = ? where id = ? and (version is null or version <= ?)")) {
            int i = bind(ps, c, 1);
            ps.setString(i++, c.id());
            ps.setLong(i, c.version());
            return ps.executeUpdate() > 0;
        }
    }

    /** Inserts the row where there is none; false when there is one (of a higher version: the update did not take). */
    private static boolean insert(Connection con, StoredCallback c) throws SQLException {
        try (PreparedStatement exists = con.prepareStatement("select 1 from callbacks where id = ?")) {
            exists.setString(1, c.id());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = con.prepareStatement("insert into callbacks (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, c.id());
            bind(ps, c, 2);
            return ps.executeUpdate() > 0;
        }
    }

    /** A unique-key violation (SQLState 23505 on PostgreSQL and H2). */
    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static int bind(PreparedStatement ps, StoredCallback c, int i) throws SQLException {
        ps.setString(i++, c.callId());
        ps.setString(i++, c.number());
        ps.setString(i++, c.queue());
        ps.setString(i++, c.state());
        ps.setTimestamp(i++, ts(c.dueAt()));
        ps.setTimestamp(i++, ts(c.requestedAt()));
        ps.setTimestamp(i++, ts(c.enqueuedAt()));
        ps.setInt(i++, c.attempts());
        ps.setString(i++, c.owner());
        ps.setString(i++, c.reason() == null ? null : c.reason().length() > 255 ? c.reason().substring(0, 255) : c.reason());
        ps.setString(i++, c.request());
        ps.setTimestamp(i++, ts(c.updatedAt()));
        ps.setString(i++, c.pbx() == null || c.pbx().length() <= 128 ? c.pbx() : c.pbx().substring(0, 128));
        ps.setLong(i++, c.version());
        return i;
    }

    @Override
    public List<StoredCallback> open() {
        return query("select " + COLUMNS + " from callbacks where state not in ('DONE', 'FAILED', 'CANCELLED')"
                + " order by due_at", null);
    }

    @Override
    public Optional<StoredCallback> get(String id) {
        return query("select " + COLUMNS + " from callbacks where id = ?", id).stream().findFirst();
    }

    private List<StoredCallback> query(String sql, String param) {
        try (Connection con = database.dataSource().getConnection(); PreparedStatement ps = con.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            List<StoredCallback> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredCallback(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)), rs.getInt(9), rs.getString(10), rs.getString(11),
                            rs.getString(12), instant(rs.getTimestamp(13)), rs.getString(14), rs.getLong(15)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("callbacks not read: " + e.getMessage(), e);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
