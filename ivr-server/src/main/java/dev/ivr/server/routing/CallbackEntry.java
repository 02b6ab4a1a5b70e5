package dev.ivr.server.routing;

import com.hazelcast.map.EntryProcessor;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.wire.ClusterValue;

import java.util.Map;

/**
 * A callback as the cluster owns it (map {@code <routing name>.callbacks}, with the map's backups). Changed only
 * by {@link Swap}, which applies a new version if nobody changed the entry since it was read: a claim, a state
 * change and a cancellation never overwrite each other.
 *
 * @param id          the callback's id; also its call id in the routing library's queue
 * @param request     the route request it was booked from (screen pop, agent leg, interaction)
 * @param state       where it is
 * @param dueAt       when it may be queued (epoch ms): at once for a booked callback, later for a scheduled one or
 *                    a retry
 * @param enqueuedAt  when it first joined the queue (epoch ms; 0 before): its place, and its wait for reports
 * @param attempts    calls to the customer so far (the agent answered and the dialplan dialled the customer)
 * @param owner       the node that has claimed it (null: nobody; the first node to find it due claims it)
 * @param leaseUntil  the claim holds until then (epoch ms), renewed by its owner while it lives
 * @param reason      why it is in its state (a failure, a cancellation, a lost node)
 * @param version     increases with every change
 * @param pbx         the PBX of the call that booked it ({@code CallInfo.pbxHint()}), or null (booked through the
 *                    API): where its Originate goes when no PBX knows the agent's phone
 */
record CallbackEntry(String id, RouteRequest request, String number, State state, long dueAt, long requestedAt,
                     long enqueuedAt, int attempts, int maxAttempts, String owner, long leaseUntil, String reason,
                     long updatedAt, long version, String pbx) implements ClusterValue {

    enum State {
        /** Waits for its time ({@code dueAt}); nobody owns it. */
        SCHEDULED,
        /** In the queue, waited for by its owner. */
        WAITING,
        /** The agent's phone is being rung (AMI Originate sent): never sent a second time. */
        DIALING,
        /** The agent answered: the dialplan calls the customer. */
        CONNECTED,
        DONE, FAILED, CANCELLED;

        boolean isFinal() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    @Override
    public String key() {
        return id;
    }

    String queue() {
        return request.queue();
    }

    CallbackEntry with(State s, String reason, long now) {
        return new CallbackEntry(id, request, number, s, dueAt, requestedAt, enqueuedAt, attempts, maxAttempts, owner,
                leaseUntil, reason, now, version + 1, pbx);
    }

    CallbackEntry claimedBy(String node, long leaseUntilMillis, long now) {
        return new CallbackEntry(id, request, number, state, dueAt, requestedAt, enqueuedAt, attempts, maxAttempts, node,
                leaseUntilMillis, reason, now, version + 1, pbx);
    }

    CallbackEntry queued(long at, long now) {
        return new CallbackEntry(id, request, number, State.WAITING, dueAt, requestedAt, enqueuedAt == 0 ? at : enqueuedAt,
                attempts, maxAttempts, owner, leaseUntil, null, now, version + 1, pbx);
    }

    CallbackEntry dialing(long now) {
        return new CallbackEntry(id, request, number, State.DIALING, dueAt, requestedAt, enqueuedAt, attempts,
                maxAttempts, owner, leaseUntil, null, now, version + 1, pbx);
    }

    CallbackEntry connected(long now) {
        return new CallbackEntry(id, request, number, State.CONNECTED, dueAt, requestedAt, enqueuedAt, attempts + 1,
                maxAttempts, owner, leaseUntil, null, now, version + 1, pbx);
    }

    /** Back to SCHEDULED for a later try, unowned. */
    CallbackEntry retryAt(long due, String why, long now) {
        return new CallbackEntry(id, request, number, State.SCHEDULED, due, requestedAt, enqueuedAt, attempts,
                maxAttempts, null, 0, why, now, version + 1, pbx);
    }

    /** Applies {@code next} if the entry is still at {@code expectedVersion}; answers whether it did. */
    record Swap(long expectedVersion, CallbackEntry next) implements EntryProcessor<String, CallbackEntry, Boolean>,
            ClusterValue {
        @Override
        public Boolean process(Map.Entry<String, CallbackEntry> entry) {
            CallbackEntry current = entry.getValue();
            long version = current == null ? 0 : current.version();
            if (version != expectedVersion || current != null && !current.belongsTo(entry.getKey())) {
                return false;
            }
            entry.setValue(next);
            return true;
        }
    }
}
