package dev.ivr.server.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Equal strings come back as one; the kept ones never pass the cap, and the common ones are shared again after it. */
class SharedStringsTest {
    @Test
    void equalStringsComeBackAsTheFirstOne() {
        SharedStrings shared = new SharedStrings(10);
        String first = new String("billing");
        String second = new String("billing");

        assertThat(shared.share(first)).isSameAs(first);
        assertThat(shared.share(second)).isSameAs(first).isEqualTo("billing");
        assertThat(shared.share(new String("sales"))).isNotSameAs(first).isEqualTo("sales");
        assertThat(shared.size()).isEqualTo(2);
    }

    @Test
    void nullIsNull() {
        SharedStrings shared = new SharedStrings(1);
        assertThat(shared.share(null)).isNull();
        assertThat(shared.size()).isZero();
    }

    @Test
    void everNewStringsNeverKeepMoreThanTheCapAndTheCommonOnesAreSharedAgain() {
        SharedStrings shared = new SharedStrings(100);
        String common = shared.share(new String("from-pstn"));
        for (int i = 0; i < 1_000; i++) {
            String s = "agi://10.0.0.1/flow?call=" + i;
            assertThat(shared.share(s)).isEqualTo(s);
            assertThat(shared.size()).isLessThanOrEqualTo(shared.cap());
        }
        // dropped at the cap: the next one is kept again, and shared from then on
        String again = shared.share(new String("from-pstn"));
        assertThat(again).isEqualTo(common).isNotSameAs(common);
        assertThat(shared.share(new String("from-pstn"))).isSameAs(again);
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new SharedStrings(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
