package dev.ivr.routing;

import java.util.function.Supplier;

/**
 * Where a {@link RoutingService} runs the operations of its methods that read or write the cluster's maps: on the
 * caller's thread ({@link #IN_PLACE}, the default) or on a thread of the application's (the ivr server runs a call's
 * operations off the call's virtual thread, so that the call keeps no Hazelcast serialization buffer for its length).
 * Either way the caller waits: the operation's result, or what it threw, is the caller's.
 */
@FunctionalInterface
public interface ClusterCalls {
    /** Every operation on the caller's thread. */
    ClusterCalls IN_PLACE = new ClusterCalls() {
        @Override
        public <T> T call(Supplier<T> operation) {
            return operation.get();
        }
    };

    /** {@code operation}'s result (or what it threw), once it has run. */
    <T> T call(Supplier<T> operation);

    /** {@link #call} for an operation without a result. */
    default void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }
}
