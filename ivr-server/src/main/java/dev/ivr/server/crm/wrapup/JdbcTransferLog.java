package dev.ivr.server.crm.wrapup;

import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.TransferLog;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@link TransferLog} in the {@code call_transfers} table (migration V31), on H2 or PostgreSQL. */
public final class JdbcTransferLog implements TransferLog {
    private static final int BATCH = 200;

    private final DataSource db;

    public JdbcTransferLog(DataSource db) {
        this.db = db;
    }

    @Override
    public void add(Entry e) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into call_transfers"
                     + " (call_id, from_agent, from_queue, kind, target, note, at, consult) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.callId());
            ps.setString(2, e.fromAgent());
            ps.setString(3, e.fromQueue());
            ps.setString(4, e.kind());
            ps.setString(5, e.target());
            ps.setString(6, e.note());
            ps.setObject(7, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC));
            ps.setBoolean(8, e.consult());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new CrmUnavailableException("the transfer log is unavailable: " + ex.getMessage(), ex);
        }
    }

    @Override
    public Map<String, List<Entry>> forCalls(Collection<String> callIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(callIds));
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<String> part = ids.subList(from, Math.min(ids.size(), from + BATCH));
                try (PreparedStatement ps = c.prepareStatement("select call_id, from_agent, from_queue, kind, target, note, at, consult"
                        + " from call_transfers where call_id in (" + String.join(", ", Collections.nCopies(part.size(), "?"))
                        + ") order by at, id")) {
                    for (int i = 0; i < part.size(); i++) {
                        ps.setString(i + 1, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Entry e = new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getBoolean(8));
                            out.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(e);
                        }
                    }
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new CrmUnavailableException("the transfer log is unavailable: " + ex.getMessage(), ex);
        }
    }
}
