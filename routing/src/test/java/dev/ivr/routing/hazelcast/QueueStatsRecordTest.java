package dev.ivr.routing.hazelcast;

import org.junit.jupiter.api.Test;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

class QueueStatsRecordTest {
    private static final long WINDOW = 30 * 60_000L;
    private static final int[] ANSWERED = {QueueStatsRecord.ANSWERED};

    @Test
    void countersCoverTheWindowOnly() {
        QueueStatsRecord s = QueueStatsRecord.empty(WINDOW);
        s = s.record(WINDOW, T0, ANSWERED, new long[]{2});
        s = s.record(WINDOW, T0 + 10 * 60_000, ANSWERED, new long[]{3});
        assertThat(s.totals(T0 + 10 * 60_000)[QueueStatsRecord.ANSWERED]).isEqualTo(5);
        // 31 minutes later the first bucket has left the window
        assertThat(s.totals(T0 + 31 * 60_000)[QueueStatsRecord.ANSWERED]).isEqualTo(3);
        assertThat(s.totals(T0 + 45 * 60_000)[QueueStatsRecord.ANSWERED]).isZero();
    }

    @Test
    void aReusedBucketStartsFromZero() {
        QueueStatsRecord s = QueueStatsRecord.empty(WINDOW).record(WINDOW, T0, ANSWERED, new long[]{7});
        // exactly one window later the same bucket index comes round again
        QueueStatsRecord later = s.record(WINDOW, T0 + WINDOW, ANSWERED, new long[]{1});
        assertThat(later.totals(T0 + WINDOW)[QueueStatsRecord.ANSWERED]).isEqualTo(1);
        assertThat(s.totals(T0)[QueueStatsRecord.ANSWERED]).as("records are immutable").isEqualTo(7);
    }

    @Test
    void aChangedWindowResetsTheCounters() {
        QueueStatsRecord s = QueueStatsRecord.empty(WINDOW).record(WINDOW, T0, ANSWERED, new long[]{7});
        QueueStatsRecord resized = s.record(WINDOW / 2, T0, ANSWERED, new long[]{1});
        assertThat(resized.bucketMillis()).isEqualTo(WINDOW / 2 / QueueStatsRecord.BUCKETS);
        assertThat(resized.totals(T0)[QueueStatsRecord.ANSWERED]).isEqualTo(1);
    }
}
