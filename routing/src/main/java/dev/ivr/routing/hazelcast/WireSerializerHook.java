package dev.ivr.routing.hazelcast;

import com.hazelcast.nio.serialization.Serializer;
import com.hazelcast.nio.serialization.SerializerHook;

/**
 * Registers {@link WireSerializer} with every Hazelcast member and client that has this library on its class
 * path, through {@code META-INF/services/com.hazelcast.SerializerHook}: no serialization configuration needed.
 * (A shaded jar must merge service files.) Overwritable: {@code HazelcastRouting.seal}
 * replaces it with a sealing serializer through the member's serialization configuration.
 */
public final class WireSerializerHook implements SerializerHook<Wire> {

    @Override
    public Class<Wire> getSerializationType() {
        return Wire.class;
    }

    @Override
    public Serializer createSerializer() {
        return new WireSerializer();
    }

    @Override
    public boolean isOverwritable() {
        return true;
    }
}
