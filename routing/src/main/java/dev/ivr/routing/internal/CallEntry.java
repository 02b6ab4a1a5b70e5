package dev.ivr.routing.internal;

import dev.ivr.routing.WaitingCall;

/** A waiting call in the local view, with its requirements compiled per relaxation stage (lazily). */
final class CallEntry {
    final CallRecord record;
    final WaitingCall call;
    volatile Compiled compiled;

    /** Requirements by stage, valid for one version of the queue definitions. */
    record Compiled(long epoch, QueueRules rules, Requirement[][] stages) {
    }

    CallEntry(CallRecord record, WaitingCall call) {
        this.record = record;
        this.call = call;
    }

    String id() {
        return record.callId();
    }
}
