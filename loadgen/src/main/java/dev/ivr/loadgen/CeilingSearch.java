package dev.ivr.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Finds the highest load level that holds (for calls in progress: p99 at or under 20 ms with
 * no failure; for the call-setup rate: the same at a rate of new calls), measuring one level at
 * a time: the given levels in order while they hold, then growing by a factor up to a cap,
 * then halving the gap between the highest level that held and the lowest that did not, until
 * the gap is within a precision or the steps run out. A level that fails above one that held is
 * the answer's upper bound; results are taken as measured (a noisy machine may make a lower
 * level fail after a higher one held: the highest held below the lowest failed counts).
 */
final class CeilingSearch {
    private final List<Integer> start;
    private final double growth;
    private final int cap;
    private final double precision;
    private final int round;
    private int stepsLeft;
    private final TreeMap<Integer, Boolean> results = new TreeMap<>();

    /**
     * @param start     levels to measure first, ascending
     * @param growth    factor to the next level while everything held (e.g. 1.5)
     * @param cap       the highest level to try
     * @param precision stop when the gap is at most this fraction of the level that held (e.g. 0.1)
     * @param round     levels are multiples of this
     * @param maxSteps  levels measured at most, the start levels included
     */
    CeilingSearch(List<Integer> start, double growth, int cap, double precision, int round, int maxSteps) {
        this.start = List.copyOf(start);
        this.growth = growth;
        this.cap = cap;
        this.precision = precision;
        this.round = Math.max(1, round);
        this.stepsLeft = maxSteps;
    }

    /** A level was measured (by this search or otherwise). */
    void result(int level, boolean held) {
        results.put(level, held);
        stepsLeft--;
    }

    /** The highest level that held below the lowest that failed; -1 when none held. */
    int highestHeld() {
        int failed = lowestFailed();
        Integer h = failed < 0 ? lastKeyWith(true, Integer.MAX_VALUE) : lastKeyWith(true, failed);
        return h == null ? -1 : h;
    }

    /** The lowest level that failed; -1 when none did. */
    int lowestFailed() {
        for (var e : results.entrySet()) {
            if (!e.getValue()) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Whether the cap itself held: the ceiling is at least the cap. */
    boolean capHeld() {
        return Boolean.TRUE.equals(results.get(cap));
    }

    /** The next level to measure, or -1 when the search is done. */
    int next() {
        if (stepsLeft <= 0) {
            return -1;
        }
        int failed = lowestFailed();
        for (int level : start) {
            if (!results.containsKey(level) && (failed < 0 || level < failed)) {
                return level;
            }
        }
        int held = highestHeld();
        if (failed < 0) {
            if (held < 0) {
                return -1;
            }
            if (held >= cap) {
                return -1;
            }
            return Math.min(cap, roundUp(Math.max(held + round, (int) Math.ceil(held * growth))));
        }
        if (held < 0) {
            held = 0;
        }
        if (failed - held <= Math.max(round, held * precision)) {
            return -1;
        }
        int mid = roundDown(held + (failed - held) / 2);
        return mid <= held || mid >= failed || results.containsKey(mid) ? -1 : mid;
    }

    /** The levels measured, in order of level. */
    List<Integer> measured() {
        return new ArrayList<>(results.keySet());
    }

    private Integer lastKeyWith(boolean held, int below) {
        Integer best = null;
        for (var e : results.headMap(below, false).entrySet()) {
            if (e.getValue() == held) {
                best = e.getKey();
            }
        }
        return best;
    }

    private int roundUp(int x) {
        return (x + round - 1) / round * round;
    }

    private int roundDown(int x) {
        return x / round * round;
    }
}
