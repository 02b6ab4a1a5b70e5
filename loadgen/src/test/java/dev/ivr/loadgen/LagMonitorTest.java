package dev.ivr.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The ticker records how much later than asked it woke, on a clock the test moves. */
class LagMonitorTest {
    @Test
    void recordsEachWakeUpsLatenessAndNothingWhenOnTime() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        long[] oversleep = {0, 0, 250_000, 40_000_000, 0};
        int[] i = {0};
        LagMonitor.Ticker t = new LagMonitor.Ticker(now::get, nanos -> now.addAndGet(nanos + oversleep[i[0]++]));
        for (int k = 0; k < oversleep.length; k++) {
            t.tick();
        }
        Histogram h = t.interval();
        assertThat(h.getTotalCount()).isEqualTo(5);
        assertThat(h.getMaxValue()).isBetween(39_900_000L, 40_100_000L); // a 40 ms stall (3 significant digits)
        assertThat(h.getValueAtPercentile(50)).isZero();
        assertThat(h.getCountAtValue(250_000)).isEqualTo(1);
        assertThat(t.interval().getTotalCount()).as("a new window").isZero();
    }

    @Test
    void aClockThatSeemsToRunBackwardsIsNotNegativeLateness() throws Exception {
        AtomicLong now = new AtomicLong(5_000_000L);
        LagMonitor.Ticker t = new LagMonitor.Ticker(now::get, nanos -> now.addAndGet(nanos / 2)); // woke early
        t.tick();
        assertThat(t.interval().getMaxValue()).isZero();
    }

    @Test
    void keepsTheWakeUpsLaterThanHalfAMillisecondWithTheirWallClockTimeForTheWindow() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        long us0 = 1_796_000_000_000_000L; // epoch microseconds
        AtomicLong wall = new AtomicLong(us0);
        long[] oversleep = {400_000, 600_000, 0, 2_000_000};
        int[] i = {0};
        LagMonitor.Ticker t = new LagMonitor.Ticker(now::get, nanos -> {
            now.addAndGet(nanos + oversleep[i[0]]);
            wall.addAndGet((nanos + oversleep[i[0]++]) / 1000);
        }, wall::get);
        for (int k = 0; k < oversleep.length; k++) {
            t.tick();
        }
        List<LagMonitor.Late> late = t.late(us0 / 1000, us0 / 1000 + 10);
        assertThat(late).containsExactly(new LagMonitor.Late(us0 + 3_000, 600_000), new LagMonitor.Late(us0 + 7_000, 2_000_000));
        assertThat(t.late(0, Long.MAX_VALUE)).as("written once").isEmpty();
    }
}
