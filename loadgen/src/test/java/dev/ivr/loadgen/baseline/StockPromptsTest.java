package dev.ivr.loadgen.baseline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers are spoken from the same segments as ivr's English forms make them. */
class StockPromptsTest {
    @Test
    void numbersInSegments() {
        assertThat(StockPrompts.number(1)).containsExactly("1");
        assertThat(StockPrompts.number(17)).containsExactly("17");
        assertThat(StockPrompts.number(40)).containsExactly("40");
        assertThat(StockPrompts.number(42)).containsExactly("40", "2");
        assertThat(StockPrompts.number(300)).containsExactly("3", "hundred");
        assertThat(StockPrompts.number(2345)).containsExactly("2", "thousand", "3", "hundred", "40", "5");
        assertThat(StockPrompts.number(10_000)).containsExactly("10", "thousand");
        assertThat(StockPrompts.number(0)).containsExactly("0");
    }

    @Test
    void promptFiles() {
        assertThat(StockPrompts.prompt("welcome")).isEqualTo("ivr/en/welcome");
        assertThat(StockPrompts.prompt("system.queue-position")).isEqualTo("ivr/en/system/queue-position");
        assertThat(StockPrompts.segment("40")).isEqualTo("ivr/en/say/40");
    }
}
