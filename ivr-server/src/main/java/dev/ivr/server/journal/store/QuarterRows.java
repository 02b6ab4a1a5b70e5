package dev.ivr.server.journal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the two quarter-hour summaries share ({@link JournalSummary} per queue, {@link AgentSummary} per agent): adding
 * a batch of deltas to their rows. Each row is updated in place (one batch); a row that is not there yet is inserted,
 * and when another writer inserted it meanwhile ({@code on conflict do nothing} inserted nothing) updated after all.
 * The rows are taken in key order, so two writers never wait for each other in a circle.
 */
final class QuarterRows {
    private QuarterRows() {
    }

    /** Binds a row's key and sums to a statement. */
    @FunctionalInterface
    interface Bind<K> {
        void bind(PreparedStatement ps, K key, long[] sums) throws SQLException;
    }

    /**
     * Adds the deltas (those not all zero) to their rows.
     *
     * @param what       the rows' name in errors ("summary row", "agent summary row")
     * @param update     adds one row's sums, bound by {@code bindUpdate}
     * @param insert     inserts one row ({@code on conflict do nothing}), bound by {@code bindInsert}
     */
    static <K extends Comparable<K>> void apply(Connection c, Map<K, long[]> delta, String what, String update,
                                                Bind<K> bindUpdate, String insert, Bind<K> bindInsert) throws SQLException {
        List<Map.Entry<K, long[]>> changes = new TreeMap<>(delta).entrySet().stream()
                .filter(d -> Arrays.stream(d.getValue()).anyMatch(v -> v != 0)).toList();
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement up = c.prepareStatement(update); PreparedStatement in = c.prepareStatement(insert)) {
            for (Map.Entry<K, long[]> d : changes) {
                bindUpdate.bind(up, d.getKey(), d.getValue());
                up.addBatch();
            }
            int[] counts = up.executeBatch();
            for (int j = 0; j < changes.size(); j++) {
                if (counts[j] > 0) {
                    continue;
                }
                K k = changes.get(j).getKey();
                if (counts[j] != 0) {
                    throw new SQLException("the driver did not say whether " + what + " " + k + " was updated");
                }
                long[] s = changes.get(j).getValue();
                bindInsert.bind(in, k, s);
                if (in.executeUpdate() == 0) {
                    bindUpdate.bind(up, k, s);
                    if (up.executeUpdate() == 0) {
                        throw new SQLException(what + " " + k + " neither updated nor inserted");
                    }
                }
            }
        }
    }
}
