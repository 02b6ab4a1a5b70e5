package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The search for the highest level held, against known ceilings. */
class CeilingSearchTest {
    /** Runs the search against a machine that holds exactly the levels {@code holds} says; returns the levels measured. */
    static List<Integer> run(CeilingSearch s, IntPredicate holds) {
        List<Integer> measured = new ArrayList<>();
        for (int level; (level = s.next()) > 0; ) {
            measured.add(level);
            s.result(level, holds.test(level));
        }
        return measured;
    }

    @Test
    void stopsAtTheFirstStartLevelThatFailsThenHalvesTheGap() {
        CeilingSearch s = new CeilingSearch(List.of(1000, 2000, 5000, 10000), 1.5, 18000, 0.1, 500, 10);
        List<Integer> measured = run(s, level -> level <= 3200);
        assertThat(measured).startsWith(1000, 2000, 5000).doesNotContain(10000);
        assertThat(measured.subList(3, measured.size())).containsExactly(3500, 2500, 3000);
        assertThat(s.highestHeld()).isEqualTo(3000);
        assertThat(s.lowestFailed()).isEqualTo(3500);
    }

    @Test
    void growsPastTheStartLevelsUpToTheCap() {
        CeilingSearch s = new CeilingSearch(List.of(1000, 2000), 1.5, 4000, 0.1, 500, 10);
        assertThat(run(s, level -> true)).containsExactly(1000, 2000, 3000, 4000);
        assertThat(s.capHeld()).isTrue();
        assertThat(s.highestHeld()).isEqualTo(4000);
        assertThat(s.lowestFailed()).isEqualTo(-1);
    }

    @Test
    void levelsMeasuredElsewhereCountAndTheStepsAreLimited() {
        CeilingSearch s = new CeilingSearch(List.of(1000, 2000, 5000, 10000), 1.5, 18000, 0.01, 100, 6);
        for (int level : List.of(1000, 2000, 5000, 10000)) {
            s.result(level, level < 5000); // the fixed levels measured first, all of them
        }
        assertThat(run(s, level -> level <= 2400)).containsExactly(3500, 2700);
        assertThat(s.highestHeld()).isEqualTo(2000);
        assertThat(s.lowestFailed()).isEqualTo(2700);
    }

    @Test
    void whenTheFirstLevelFailsItSearchesBelow() {
        CeilingSearch s = new CeilingSearch(List.of(100, 200), 1.5, 1000, 0.1, 10, 10);
        assertThat(run(s, level -> false)).containsExactly(100, 50, 20, 10);
        assertThat(s.highestHeld()).isEqualTo(-1);
        assertThat(s.lowestFailed()).isEqualTo(10);
    }

    @Test
    void aNoisyLowerFailureBoundsTheAnswer() {
        CeilingSearch s = new CeilingSearch(List.of(), 1.5, 1000, 0.1, 10, 10);
        s.result(400, true);
        s.result(200, false); // a stall at 200 after 400 held
        assertThat(s.lowestFailed()).isEqualTo(200);
        assertThat(s.highestHeld()).isEqualTo(-1);
    }
}
