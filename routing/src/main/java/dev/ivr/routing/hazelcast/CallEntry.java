package dev.ivr.routing.hazelcast;

import dev.ivr.routing.WaitingCall;

/** A waiting call in the local view, with its requirements compiled per relaxation stage (lazily). */
final class CallEntry {
    final CallRecord record;
    final WaitingCall call;
    /** When this version of the call reached this node's view (System.nanoTime). */
    final long seenAt = System.nanoTime();
    volatile Compiled compiled;
    /** {@link Matcher#eligibilityKey} when the call last found no agent; -1 if never tried. */
    volatile int triedWith = -1;

    /** Position in queue order when that order does not depend on time (no priority aging); null if not indexed. */
    volatile OrderKey orderKey;

    /** Requirements by stage, and the skill ids that score agents, valid for one version of the queues. */
    record Compiled(long epoch, QueueRules rules, Requirement[][] stages, int[] scoredSkills) {
    }

    /**
     * Queue order without aging: head-of-queue first, then higher priority (call + queue), then earlier, then id.
     */
    record OrderKey(boolean head, int priority, long enqueuedAt, String callId) implements Comparable<OrderKey> {
        @Override
        public int compareTo(OrderKey o) {
            if (head != o.head) {
                return head ? -1 : 1;
            }
            if (priority != o.priority) {
                return priority > o.priority ? -1 : 1;
            }
            int byTime = Long.compare(enqueuedAt, o.enqueuedAt);
            return byTime != 0 ? byTime : callId.compareTo(o.callId);
        }
    }

    CallEntry(CallRecord record, WaitingCall call) {
        this.record = record;
        this.call = call;
    }

    String id() {
        return record.callId();
    }
}
