package dev.ivr.server.journal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An {@code in (?, ...)} list of one of a few lengths (8, 16, ... 256, {@link #MAX}), the values after the given ones
 * the last one again: a statement that reads "these calls" then has one of eight texts instead of one per number of
 * calls, so that the database's per-connection cache of parsed statements (H2's {@code QUERY_CACHE_SIZE}, which keeps
 * a plain select but never a union) finds it at the next batch instead of parsing it anew (issue 16, twenty-first
 * round, js25: the journal writer's read of its new calls' lines was 2.7% of its batch in H2's parser). A value
 * repeated in an {@code in} list is the same condition: the rows read are the same.
 */
final class PaddedIn {
    /** The longest list: the readers read by call id this many at a time. */
    static final int MAX = 500;

    private PaddedIn() {
    }

    /** The list's length for {@code n} values (1 to {@link #MAX}): the least of 8, 16, ... 256, {@link #MAX} that holds them. */
    static int size(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("an in list of " + n + " values");
        }
        int size = 8;
        while (size < n && size < 256) {
            size *= 2;
        }
        return size < n ? MAX : size;
    }

    /** {@code size} question marks, comma-separated. */
    static String marks(int size) {
        return String.join(", ", Collections.nCopies(size, "?"));
    }

    /** Sets parameters {@code first} to {@code first + size - 1}: the {@code values}, then the last of them again. */
    static void bind(PreparedStatement ps, int first, List<String> values, int size) throws SQLException {
        String last = values.get(values.size() - 1);
        for (int j = 0; j < size; j++) {
            ps.setString(first + j, j < values.size() ? values.get(j) : last);
        }
    }

    /**
     * Runs {@code sql}, whose only parameters are an {@code in} list of {@code size} marks, for these calls (at most
     * {@link #MAX}), and adds each row, as {@code row} reads it, to the list of its first column (the call id).
     */
    static <T> void readByCall(Connection c, String sql, List<String> calls, int size, Map<String, List<T>> out,
            EventRuns.Row<T> row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, calls, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row.read(rs));
                }
            }
        }
    }
}
