package dev.ivr.server.crm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.crm.outbox.InteractionOutbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Row helpers of the CRM store: JSON columns, instants as UTC timestamps, durations as milliseconds, bounded text. */
final class JdbcValues {
    private static final ObjectMapper JSON = InteractionOutbox.json();

    private JdbcValues() {
    }

    static String toJson(Object o) throws SQLException {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot encode " + o.getClass().getSimpleName(), "22000", e);
        }
    }

    static <T> T fromJson(String s, TypeReference<T> type) throws SQLException {
        if (s == null) {
            return null;
        }
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON is not readable: " + e.getOriginalMessage(), "22000", e);
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, t.atOffset(ZoneOffset.UTC));
        }
    }

    static void setMillis(PreparedStatement ps, int i, Duration d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, d.toMillis());
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Duration millis(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(v);
    }
}
