package dev.ivr.server.crm.wrapup;

import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.WrapUp;
import dev.ivr.server.crm.WrapUps;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link WrapUps} in the {@code wrap_ups} table (migration V30), on H2 or PostgreSQL. */
public final class JdbcWrapUps implements WrapUps {
    /** Calls asked for in one query at most (a page of history is far smaller). */
    private static final int BATCH = 200;

    private final DataSource db;

    public JdbcWrapUps(DataSource db) {
        this.db = db;
    }

    @Override
    public void save(WrapUp w) {
        try (Connection c = db.getConnection()) {
            // update, else insert; a concurrent insert of the same key (two desktops of one agent) updates after all
            if (update(c, w) == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into wrap_ups (call_id, agent_id, queue, code, note, saved_at) values (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, w.callId());
                    ps.setString(2, w.agentId());
                    ps.setString(3, w.queue());
                    ps.setString(4, w.code());
                    ps.setString(5, w.note());
                    ps.setObject(6, OffsetDateTime.ofInstant(w.savedAt(), ZoneOffset.UTC));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState()) || update(c, w) == 0) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static int update(Connection c, WrapUp w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update wrap_ups set queue = ?, code = ?, note = ?, saved_at = ? where call_id = ? and agent_id = ?")) {
            ps.setString(1, w.queue());
            ps.setString(2, w.code());
            ps.setString(3, w.note());
            ps.setObject(4, OffsetDateTime.ofInstant(w.savedAt(), ZoneOffset.UTC));
            ps.setString(5, w.callId());
            ps.setString(6, w.agentId());
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<WrapUp> find(String callId, String agentId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select call_id, agent_id, queue, code, note, saved_at"
                     + " from wrap_ups where call_id = ? and agent_id = ?")) {
            ps.setString(1, callId);
            ps.setString(2, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, List<WrapUp>> forCalls(Collection<String> callIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(callIds));
        Map<String, List<WrapUp>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection()) {
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<String> part = ids.subList(from, Math.min(ids.size(), from + BATCH));
                String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("select call_id, agent_id, queue, code, note, saved_at"
                        + " from wrap_ups where call_id in (" + marks + ") order by saved_at, agent_id")) {
                    for (int i = 0; i < part.size(); i++) {
                        ps.setString(i + 1, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            WrapUp w = read(rs);
                            out.computeIfAbsent(w.callId(), k -> new ArrayList<>()).add(w);
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static WrapUp read(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject(6, OffsetDateTime.class);
        return new WrapUp(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                at == null ? Instant.EPOCH : at.toInstant());
    }

    private static CrmUnavailableException unavailable(SQLException e) {
        return new CrmUnavailableException("the wrap-up store is unavailable: " + e.getMessage(), e);
    }
}
