package dev.ivr.routing;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import dev.ivr.routing.internal.Wire;
import dev.ivr.routing.internal.WireSerializer;

/**
 * How routing values are serialized in a Hazelcast member. Without configuration the library registers its
 * serializer by itself (plain bytes); {@link #seal} replaces it with one that seals every value, for members
 * whose cluster must not be readable or writable by processes without the application's key.
 */
public final class RoutingSerialization {
    private RoutingSerialization() {
    }

    /**
     * Makes every routing value that this member writes sealed by {@code seal}, and refuses every value that is
     * not. All members of a cluster must be configured alike (and share the key).
     */
    public static void seal(SerializationConfig config, ValueSeal seal) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(Wire.class)
                .setImplementation(new WireSerializer(seal)));
    }
}
