package dev.ivr.server.text;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One string for all the equal strings a process keeps many of (the AGI environment's names and values, the queue and
 * agent names of the live KPI window): {@link #share} gives the string kept for an equal one, kept now if there is
 * room. At most {@link #cap()} are kept; at the cap (ever-new values: a query in each request, transfer destinations)
 * the kept ones are dropped and the common ones are kept again by their next use. Unlike {@link String#intern()} it is
 * bounded and dropped with its owner. Safe for several threads.
 */
public final class SharedStrings {
    private final Map<String, String> kept = new ConcurrentHashMap<>();
    private final int cap;

    /** @param cap how many strings at most are kept (at least 1) */
    public SharedStrings(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("a cap of at least 1 string: " + cap);
        }
        this.cap = cap;
    }

    /** The string kept for {@code s} (equal to it), kept now if there is room; {@code null} for {@code null}. */
    public String share(String s) {
        if (s == null) {
            return null;
        }
        String k = kept.get(s);
        if (k != null) {
            return k;
        }
        if (kept.size() >= cap) {
            kept.clear();
        }
        k = kept.putIfAbsent(s, s);
        return k == null ? s : k;
    }

    /** How many strings are kept now (at most {@link #cap()}, give or take the threads adding at the same moment). */
    public int size() {
        return kept.size();
    }

    public int cap() {
        return cap;
    }
}
