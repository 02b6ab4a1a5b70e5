package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.ivr.loadgen.WarmupSettle.State.NOT_SETTLED;
import static dev.ivr.loadgen.WarmupSettle.State.SETTLED;
import static dev.ivr.loadgen.WarmupSettle.State.WARMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the set-up benchmark's warm-up ends: readings fed with their times, no clock. */
class WarmupSettleTest {
    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void aServerWithNothingToRenderSettlesAtTheMinimum() {
        WarmupSettle w = new WarmupSettle(s(60), s(15), s(600));
        for (int t = 0; t < 60; t++) {
            assertThat(w.observe(s(t), 0)).as("%d s", t).isEqualTo(WARMING);
        }
        assertThat(w.observe(s(60), 0)).isEqualTo(SETTLED);
        assertThat(w.describe()).startsWith("warm-up settled after 60 s");
    }

    @Test
    void rendersSpillingPastTheMinimumKeepItWarmingUntilTheMissesStopForTheQuietPeriod() {
        WarmupSettle w = new WarmupSettle(s(60), s(15), s(600));
        long misses = 0;
        for (int t = 0; t <= 90; t++) { // greetings not ready: misses grow every second up to 90 s
            assertThat(w.observe(s(t), misses += 3)).as("%d s", t).isEqualTo(WARMING);
        }
        for (int t = 91; t < 105; t++) {
            assertThat(w.observe(s(t), misses)).as("%d s", t).isEqualTo(WARMING);
        }
        assertThat(w.observe(s(105), misses)).isEqualTo(SETTLED);
        assertThat(w.state()).isEqualTo(SETTLED);
        assertThat(w.observe(s(106), misses + 100)).as("settled stays settled").isEqualTo(SETTLED);
        assertThat(w.describe()).contains("settled after 105 s").contains("last grew 90 s after the start").contains("none for 15 s");
    }

    @Test
    void oneMoreMissRestartsTheQuietPeriod() {
        WarmupSettle w = new WarmupSettle(s(10), s(15), s(600));
        w.observe(s(0), 5);
        assertThat(w.observe(s(14), 5)).isEqualTo(WARMING);
        assertThat(w.observe(s(15), 6)).isEqualTo(WARMING);
        assertThat(w.observe(s(29), 6)).isEqualTo(WARMING);
        assertThat(w.observe(s(30), 6)).isEqualTo(SETTLED);
    }

    @Test
    void rendersThatNeverEndAreReportedAsNotSettled() {
        WarmupSettle w = new WarmupSettle(s(60), s(15), s(300));
        WarmupSettle.State st = WARMING;
        int t = 0;
        for (; st == WARMING; t++) {
            st = w.observe(s(t), t);
        }
        assertThat(st).isEqualTo(NOT_SETTLED);
        assertThat(t - 1).isEqualTo(300);
        assertThat(w.describe()).startsWith("warm-up did not settle within 300 s").contains("nothing measured");
        assertThat(w.observe(s(400), t)).isEqualTo(NOT_SETTLED);
    }

    @Test
    void anUnreadableServerNeverPassesAsSettled() {
        WarmupSettle w = new WarmupSettle(s(60), s(15), s(120));
        for (int t = 0; t < 120; t++) {
            assertThat(w.observe(s(t), -1)).as("%d s", t).isEqualTo(WARMING);
        }
        assertThat(w.observe(s(120), -1)).isEqualTo(NOT_SETTLED);
        assertThat(w.describe()).contains("not readable");
    }

    @Test
    void aQuietPeriodThatStartedBeforeTheMinimumCounts() {
        WarmupSettle w = new WarmupSettle(s(60), s(15), s(600));
        w.observe(s(0), 0);
        w.observe(s(40), 200); // the last miss at 40 s: quiet from 40 s on
        assertThat(w.observe(s(55), 200)).isEqualTo(WARMING); // quiet, but before the minimum
        assertThat(w.observe(s(60), 200)).isEqualTo(SETTLED);
    }

    @Test
    void theMaximumMayNotBeBelowTheMinimum() {
        assertThatThrownBy(() -> new WarmupSettle(s(60), s(15), s(30))).isInstanceOf(IllegalArgumentException.class);
    }
}
