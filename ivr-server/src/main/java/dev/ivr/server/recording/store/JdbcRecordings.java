package dev.ivr.server.recording.store;

import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.recording.Recording;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code recordings} and {@code recording_access} tables (migration V85), on H2 or PostgreSQL. */
public final class JdbcRecordings {
    private static final String COLUMNS = "id, call_id, queue, agent_id, reason, file_name, state, encrypted, bytes, "
            + "started_at, ended_at, deleted_at";

    /** One line of the access log. */
    public record Access(String recordingId, String callId, String user, String roles, String kind, boolean allowed,
                         String address, Instant at) {
    }

    private final DataSource db;

    public JdbcRecordings(DataSource db) {
        this.db = db;
    }

    public void insert(Recording r) {
        update("insert into recordings (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, r.id());
            ps.setString(2, r.callId());
            ps.setString(3, r.queue());
            ps.setString(4, r.agentId());
            ps.setString(5, r.reason());
            ps.setString(6, r.fileName());
            ps.setString(7, r.state().name());
            ps.setBoolean(8, r.encrypted());
            ps.setObject(9, r.bytes());
            ps.setObject(10, time(r.startedAt()));
            ps.setObject(11, time(r.endedAt()));
            ps.setObject(12, time(r.deletedAt()));
        });
    }

    public Optional<Recording> get(String id) {
        List<Recording> l = query("select " + COLUMNS + " from recordings where id = ?", ps -> ps.setString(1, id));
        return l.stream().findFirst();
    }

    /** A call's recordings, oldest first. */
    public List<Recording> forCall(String callId) {
        return query("select " + COLUMNS + " from recordings where call_id = ? order by started_at, id",
                ps -> ps.setString(1, callId));
    }

    /** The call's recordings MixMonitor is writing now. */
    public List<Recording> recording(String callId) {
        return query("select " + COLUMNS + " from recordings where call_id = ? and state = 'RECORDING'",
                ps -> ps.setString(1, callId));
    }

    /** Marks the call's running recordings ended; how many were. */
    public int ended(String callId, Instant at) {
        return update("update recordings set state = 'ENDED', ended_at = ? where call_id = ? and state = 'RECORDING'", ps -> {
            ps.setObject(1, time(at));
            ps.setString(2, callId);
        });
    }

    /** One recording ended (stopped from the desktop). */
    public boolean endedOne(String id, Instant at) {
        return update("update recordings set state = 'ENDED', ended_at = ? where id = ? and state = 'RECORDING'", ps -> {
            ps.setObject(1, time(at));
            ps.setString(2, id);
        }) == 1;
    }

    /** Recordings to seal: ended before {@code endedBefore}, or still "recording" since before {@code stuckBefore}. */
    public List<Recording> toSeal(Instant endedBefore, Instant stuckBefore) {
        return query("select " + COLUMNS + " from recordings where (state = 'ENDED' and ended_at <= ?) "
                + "or (state = 'RECORDING' and started_at <= ?) order by started_at", ps -> {
            ps.setObject(1, time(endedBefore));
            ps.setObject(2, time(stuckBefore));
        });
    }

    /** Moves a recording from {@code from} to a sealed state; false when another server got there first. */
    public boolean sealed(Recording r, Recording.State from, Recording.State to, String fileName, boolean encrypted,
                          Long bytes, Instant endedAt) {
        return update("update recordings set state = ?, file_name = ?, encrypted = ?, bytes = ?, ended_at = ? "
                + "where id = ? and state = ?", ps -> {
            ps.setString(1, to.name());
            ps.setString(2, fileName);
            ps.setBoolean(3, encrypted);
            ps.setObject(4, bytes);
            ps.setObject(5, time(endedAt));
            ps.setString(6, r.id());
            ps.setString(7, from.name());
        }) == 1;
    }

    /** Recordings started before the cut-off and not deleted yet (the retention purge's). */
    public List<Recording> expired(Instant startedBefore) {
        return query("select " + COLUMNS + " from recordings where started_at < ? and state <> 'DELETED' "
                + "and state <> 'RECORDING' order by started_at", ps -> ps.setObject(1, time(startedBefore)));
    }

    public void deleted(String id, Instant at) {
        update("update recordings set state = 'DELETED', deleted_at = ? where id = ? and state <> 'DELETED'", ps -> {
            ps.setObject(1, time(at));
            ps.setString(2, id);
        });
    }

    public void logAccess(Access a) {
        update("insert into recording_access (recording_id, call_id, user_name, roles, kind, allowed, address, accessed_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, a.recordingId());
            ps.setString(2, a.callId());
            ps.setString(3, a.user());
            ps.setString(4, a.roles());
            ps.setString(5, a.kind());
            ps.setBoolean(6, a.allowed());
            ps.setString(7, a.address());
            ps.setObject(8, time(a.at()));
        });
    }

    /** A recording's access log, newest first. */
    public List<Access> accessLog(String recordingId) {
        List<Access> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select recording_id, call_id, user_name, roles, kind, allowed, address, accessed_at from recording_access "
                        + "where recording_id = ? order by accessed_at desc, id desc")) {
            ps.setString(1, recordingId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Access(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getBoolean(6), rs.getString(7), instant(rs.getObject(8, OffsetDateTime.class))));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private List<Recording> query(String sql, Binder binder) {
        List<Recording> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long bytes = rs.getLong(9);
                    Long size = rs.wasNull() ? null : bytes;
                    out.add(new Recording(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), Recording.State.valueOf(rs.getString(7)), rs.getBoolean(8),
                            size, instant(rs.getObject(10, OffsetDateTime.class)),
                            instant(rs.getObject(11, OffsetDateTime.class)), instant(rs.getObject(12, OffsetDateTime.class))));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return out;
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static CrmUnavailableException unavailable(SQLException e) {
        return new CrmUnavailableException("recordings: " + e.getMessage(), e);
    }
}
