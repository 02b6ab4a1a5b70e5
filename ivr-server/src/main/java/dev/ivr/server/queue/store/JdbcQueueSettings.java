package dev.ivr.server.queue.store;

import dev.ivr.server.config.QueueOverride;
import dev.ivr.server.queue.QueueSettingsStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link QueueSettingsStore} in {@code queue_settings} and {@code queue_setting_changes} (migration V90). */
public final class JdbcQueueSettings implements QueueSettingsStore {
    private final DataSource db;

    public JdbcQueueSettings(DataSource db) {
        this.db = db;
    }

    @Override
    public Map<String, QueueOverride> load() {
        Map<String, QueueOverride> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select queue, settings from queue_settings order by queue");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), QueueOverride.parse(rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("queue settings cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void save(QueueSettingChange change) {
        OffsetDateTime at = OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("delete from queue_settings where queue = ?")) {
                    del.setString(1, change.queue());
                    del.executeUpdate();
                }
                if (!change.after().isEmpty()) {
                    try (PreparedStatement ins = c.prepareStatement(
                            "insert into queue_settings (queue, settings, changed_by, changed_at) values (?, ?, ?, ?)")) {
                        ins.setString(1, change.queue());
                        ins.setString(2, change.after().json());
                        ins.setString(3, change.by());
                        ins.setObject(4, at);
                        ins.executeUpdate();
                    }
                }
                try (PreparedStatement log = c.prepareStatement("insert into queue_setting_changes"
                        + " (queue, changed_by, changed_at, before_settings, after_settings) values (?, ?, ?, ?, ?)")) {
                    log.setString(1, change.queue());
                    log.setString(2, change.by());
                    log.setObject(3, at);
                    log.setString(4, change.before().json());
                    log.setString(5, change.after().json());
                    log.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("queue settings cannot be saved: " + e.getMessage(), e);
        }
    }

    @Override
    public List<QueueSettingChange> history(String queue, int limit) {
        List<QueueSettingChange> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select changed_by, changed_at, before_settings, after_settings"
                     + " from queue_setting_changes where queue = ? order by changed_at desc, id desc")) {
            ps.setString(1, queue);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QueueSettingChange(queue, rs.getString(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant(), QueueOverride.parse(rs.getString(3)),
                            QueueOverride.parse(rs.getString(4))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("queue settings history cannot be read: " + e.getMessage(), e);
        }
        return out;
    }
}
