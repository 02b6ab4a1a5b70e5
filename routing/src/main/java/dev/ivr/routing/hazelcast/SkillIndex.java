package dev.ivr.routing.hazelcast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The ready agents having one skill, by level, each level in idle order (longest idle first). Answers "the
 * longest-idle ready agent with the highest level" by looking at the first eligible entry of the highest
 * non-empty level, instead of scanning every agent with the skill.
 */
final class SkillIndex {
    /** Longest idle first (earliest READY time), then by id: the tie-break of the built-in strategies. */
    static final Comparator<AgentEntry> IDLE = (a, b) -> {
        int bySince = Long.compare(a.record.stateSince(), b.record.stateSince());
        return bySince != 0 ? bySince : a.id().compareTo(b.id());
    };
    private static final int LEVELS = 11;

    private final List<ConcurrentSkipListSet<AgentEntry>> byLevel = new ArrayList<>(LEVELS);
    private final AtomicIntegerArray counts = new AtomicIntegerArray(LEVELS);

    SkillIndex() {
        for (int level = 0; level < LEVELS; level++) {
            byLevel.add(new ConcurrentSkipListSet<>(IDLE));
        }
    }

    void add(AgentEntry entry, int level) {
        if (byLevel.get(level).add(entry)) {
            counts.incrementAndGet(level);
        }
    }

    void remove(AgentEntry entry, int level) {
        if (byLevel.get(level).remove(entry)) {
            counts.decrementAndGet(level);
        }
    }

    /** The ready agents at exactly {@code level}, longest idle first. */
    Iterable<AgentEntry> at(int level) {
        return byLevel.get(level);
    }

    /** How many ready agents have at least {@code minLevel}. */
    int countAtLeast(int minLevel) {
        int n = 0;
        for (int level = Math.max(1, minLevel); level < LEVELS; level++) {
            n += counts.get(level);
        }
        return n;
    }

    /** The ready agents with at least {@code minLevel}, highest level first. */
    Iterable<AgentEntry> atLeast(int minLevel) {
        return () -> new Iterator<>() {
            private int level = LEVELS - 1;
            private Iterator<AgentEntry> current = byLevel.get(level).iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (--level < Math.max(1, minLevel)) {
                        return false;
                    }
                    current = byLevel.get(level).iterator();
                }
                return true;
            }

            @Override
            public AgentEntry next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
