package dev.ivr.server.journal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
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

    /** The values, {@link #MAX} at a time, each part with its list's length; none for no values. */
    static List<Part> parts(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += MAX) {
            List<String> part = all.subList(i, Math.min(all.size(), i + MAX));
            out.add(new Part(part, size(part.size())));
        }
        return out;
    }

    /** At most {@link #MAX} values and the length of their {@code in} list ({@link #size}). */
    record Part(List<String> values, int size) {
        /** The list's question marks, comma-separated. */
        String marks() {
            return PaddedIn.marks(size);
        }

        /** The list's values: the given ones, then the last of them again. */
        List<String> padded() {
            List<String> out = new ArrayList<>(values);
            String last = values.get(values.size() - 1);
            while (out.size() < size) {
                out.add(last);
            }
            return out;
        }
    }

    /** Sets parameters {@code first} to {@code first + size - 1} to the part's {@link Part#padded} values. */
    static void bind(PreparedStatement ps, int first, Part part) throws SQLException {
        List<String> padded = part.padded();
        for (int j = 0; j < padded.size(); j++) {
            ps.setString(first + j, padded.get(j));
        }
    }

    /**
     * Runs {@code sql}, whose only parameters are the part's {@code in} list ({@link Part#marks}), and adds each row,
     * as {@code row} reads it, to the list of its first column (the call id).
     */
    static <T> void readByCall(Connection c, String sql, Part part, Map<String, List<T>> out, EventRuns.Row<T> row)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, part);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row.read(rs));
                }
            }
        }
    }
}
