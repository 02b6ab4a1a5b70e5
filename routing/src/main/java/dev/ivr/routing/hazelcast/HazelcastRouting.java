package dev.ivr.routing.hazelcast;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.ivr.routing.ClusterCalls;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.ValueSeal;
import java.util.Collection;

/**
 * The entry point of the Hazelcast implementation of {@link RoutingService}: the one public class of
 * this package that applications use. The API package ({@code dev.ivr.routing}) never refers to this
 * package, so the implementation can change behind it.
 */
public final class HazelcastRouting {
    private HazelcastRouting() {
    }

    /** Starts routing on this member with default options. */
    public static RoutingService start(HazelcastInstance hazelcast, Collection<QueueDefinition> queues) {
        return start(hazelcast, queues, RoutingOptions.defaults());
    }

    /**
     * Starts routing on this member. The queue definitions are published to the cluster (the last node to
     * publish a queue wins, so every node should be given the same configuration).
     */
    public static RoutingService start(HazelcastInstance hazelcast, Collection<QueueDefinition> queues,
                                       RoutingOptions options) {
        return start(hazelcast, queues, options, ClusterCalls.IN_PLACE);
    }

    /**
     * {@link #start(HazelcastInstance, Collection, RoutingOptions)}, the service's operations on the cluster's maps run
     * through {@code cluster} (see {@link ClusterCalls}).
     */
    public static RoutingService start(HazelcastInstance hazelcast, Collection<QueueDefinition> queues,
                                       RoutingOptions options, ClusterCalls cluster) {
        return HazelcastRoutingService.start(hazelcast, queues, options, cluster);
    }

    /**
     * How routing values are serialized in a Hazelcast member. Without this call the library registers its
     * serializer by itself (plain bytes); this replaces it with one that seals every value written by this
     * member with {@code seal}, and refuses every value that is not sealed, for members whose cluster must
     * not be readable or writable by processes without the application's key. All members of a cluster
     * must be configured alike (and share the key).
     */
    public static void seal(SerializationConfig config, ValueSeal seal) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(Wire.class)
                .setImplementation(new WireSerializer(seal)));
    }
}
