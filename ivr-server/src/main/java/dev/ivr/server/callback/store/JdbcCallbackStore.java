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

/** Callbacks in the {@code callbacks} table (migrations V50, V80), on the calls' pool. */
public final class JdbcCallbackStore implements CallbackStore {
    private static final String COLUMNS = "id, call_id, number, queue, state, due_at, requested_at, enqueued_at, attempts,"
            + " owner_node, reason, request, updated_at, pbx";

    private final Database database;

    public JdbcCallbackStore(Database database) {
        this.database = database;
    }

    @Override
    public void save(StoredCallback c) {
        if (!database.isReady()) {
            throw new IllegalStateException("the database is not available");
        }
        try (Connection con = database.dataSource().getConnection()) {
            con.setAutoCommit(false);
            int n;
            try (PreparedStatement ps = con.prepareStatement("update callbacks set call_id = ?, number = ?, queue = ?,"
                    + " state = ?, due_at = ?, requested_at = ?, enqueued_at = ?, attempts = ?, owner_node = ?, reason = ?,"
                    + " request = ?, updated_at = ?, pbx = ? where id = ?")) {
                int i = bind(ps, c, 1);
                ps.setString(i, c.id());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = con.prepareStatement("insert into callbacks (" + COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, c.id());
                    bind(ps, c, 2);
                    ps.executeUpdate();
                }
            }
            con.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("callback " + c.id() + " not saved: " + e.getMessage(), e);
        }
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
                            rs.getString(12), instant(rs.getTimestamp(13)), rs.getString(14)));
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
