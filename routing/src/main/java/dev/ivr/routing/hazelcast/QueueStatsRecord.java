package dev.ivr.routing.hazelcast;

import java.util.Arrays;

/**
 * Counters of one queue over a sliding window, in {@value #BUCKETS} time buckets. Immutable: {@link #record}
 * returns an updated copy.
 *
 * @param bucketMillis width of a bucket (window / {@value #BUCKETS})
 * @param starts       start (epoch millis) of the period each bucket counts; a bucket from an older period is stale
 * @param counters     counters[bucket][counter], counters named by the constants of this class
 */
public record QueueStatsRecord(long bucketMillis, long[] starts, long[][] counters) implements Wire {
    static final int BUCKETS = 30;
    static final int ANSWERED = 0;
    static final int ANSWERED_IN_TARGET = 1;
    static final int ABANDONED = 2;
    static final int ABANDONED_AFTER_TARGET = 3;
    static final int MAX_WAIT = 4;
    static final int HANDLE_MILLIS = 5;
    static final int HANDLED = 6;
    static final int COUNTERS = 7;

    static QueueStatsRecord empty(long windowMillis) {
        long bucket = Math.max(1, windowMillis / BUCKETS);
        long[] starts = new long[BUCKETS];
        Arrays.fill(starts, Long.MIN_VALUE);
        return new QueueStatsRecord(bucket, starts, new long[BUCKETS][COUNTERS]);
    }

    /** A copy with {@code deltas} added to the given counters in the bucket of {@code now}. */
    QueueStatsRecord record(long windowMillis, long now, int[] counterIds, long[] deltas) {
        QueueStatsRecord base = bucketMillis == Math.max(1, windowMillis / BUCKETS) ? this : empty(windowMillis);
        long start = Math.floorDiv(now, base.bucketMillis) * base.bucketMillis;
        int index = (int) Math.floorMod(Math.floorDiv(now, base.bucketMillis), (long) BUCKETS);
        long[] newStarts = base.starts.clone();
        long[][] newCounters = new long[BUCKETS][];
        for (int i = 0; i < BUCKETS; i++) {
            newCounters[i] = base.counters[i];
        }
        long[] row = newStarts[index] == start ? base.counters[index].clone() : new long[COUNTERS];
        newStarts[index] = start;
        for (int i = 0; i < counterIds.length; i++) {
            row[counterIds[i]] += deltas[i];
        }
        newCounters[index] = row;
        return new QueueStatsRecord(base.bucketMillis, newStarts, newCounters);
    }

    /** Sum of each counter over the buckets inside the window ending at {@code now}. */
    long[] totals(long now) {
        long[] totals = new long[COUNTERS];
        long current = Math.floorDiv(now, bucketMillis) * bucketMillis;
        long oldest = current - (BUCKETS - 1) * bucketMillis;
        for (int i = 0; i < BUCKETS; i++) {
            if (starts[i] >= oldest && starts[i] <= current) {
                for (int c = 0; c < COUNTERS; c++) {
                    totals[c] += counters[i][c];
                }
            }
        }
        return totals;
    }
}
