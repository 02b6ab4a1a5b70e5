package dev.ivr.routing.hazelcast;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * One queue's calls in queue order (waiting and offered ones), and how many not-offered calls come before a given
 * place: for each waiting caller's position, asked at every turn of its wait. The count is exact: a snapshot of the
 * queue's order (one pass, then a binary search per question) plus the changes made since it was taken (each a place
 * and +1 or -1), so that a change does not make the next question walk the whole queue again; the snapshot is taken
 * anew only after {@link #MAX_CHANGES} changes. Thread-safe: changes and questions hold this line's lock.
 */
final class QueueLine {
    /** Changes kept beside a snapshot before it is dropped (the next question then takes a new one). */
    static final int MAX_CHANGES = 256;

    private final TreeMap<CallEntry.OrderKey, CallEntry> calls = new TreeMap<>();
    /** The snapshot's places in order; null when there is none (none taken yet, or too many changes since). */
    private CallEntry.OrderKey[] keys;
    /** For each index i of {@link #keys} (and keys.length): how many not-offered calls come before it. */
    private int[] waitingBefore;
    private final CallEntry.OrderKey[] changedAt = new CallEntry.OrderKey[MAX_CHANGES];
    private final int[] changedBy = new int[MAX_CHANGES];
    private int changes;

    /** Adds a call at its place (the call's {@link CallEntry#orderKey}). */
    synchronized void add(CallEntry.OrderKey key, CallEntry entry) {
        calls.put(key, entry);
        changed(key, entry, 1);
    }

    /** Removes this entry from its place; false when that place holds no entry or another one. */
    synchronized boolean remove(CallEntry.OrderKey key, CallEntry entry) {
        if (calls.get(key) != entry) {
            return false;
        }
        calls.remove(key);
        changed(key, entry, -1);
        return true;
    }

    private void changed(CallEntry.OrderKey key, CallEntry entry, int sign) {
        if (keys == null || entry.record.isOffered()) {
            return; // no snapshot to correct; an offered call counts for nobody
        }
        if (changes == MAX_CHANGES) {
            keys = null;
            waitingBefore = null;
            changes = 0;
            Arrays.fill(changedAt, null);
            return;
        }
        changedAt[changes] = key;
        changedBy[changes++] = sign;
    }

    /** How many not-offered calls come before the place {@code key} (which need not be held). */
    synchronized int waitingAhead(CallEntry.OrderKey key) {
        if (keys == null) {
            snapshot();
        }
        int i = Arrays.binarySearch(keys, key);
        int ahead = waitingBefore[i >= 0 ? i : -i - 1];
        for (int c = 0; c < changes; c++) {
            if (changedAt[c].compareTo(key) < 0) {
                ahead += changedBy[c];
            }
        }
        return ahead;
    }

    private void snapshot() {
        int n = calls.size();
        CallEntry.OrderKey[] k = new CallEntry.OrderKey[n];
        int[] before = new int[n + 1];
        int i = 0;
        int waiting = 0;
        for (var e : calls.entrySet()) {
            k[i] = e.getKey();
            before[i++] = waiting;
            if (!e.getValue().record.isOffered()) {
                waiting++;
            }
        }
        before[n] = waiting;
        keys = k;
        waitingBefore = before;
        changes = 0;
    }

    /** Calls held (waiting and offered). */
    synchronized int size() {
        return calls.size();
    }
}
