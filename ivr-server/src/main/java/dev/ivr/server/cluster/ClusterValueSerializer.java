package dev.ivr.server.cluster;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.nio.serialization.StreamSerializer;

import dev.ivr.server.json.PooledBytes;
import dev.ivr.server.json.PooledJson;
import dev.ivr.server.wire.ClusterValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes every {@link ClusterValue} as its type's name ({@link WireNames}: the class name, or the name it had
 * before it moved) and its fields in JSON, sealed by a {@link ClusterCipher}.
 * Reading opens the seal first: bytes that do not authenticate are refused before anything is parsed, and the
 * class named inside must be a {@link ClusterValue} of the server's own, so nothing else is ever instantiated.
 */
public final class ClusterValueSerializer implements StreamSerializer<ClusterValue> {
    /** Hazelcast type id ("IVR" + 2); the routing library's is "IVR" + 1. */
    public static final int TYPE_ID = 0x49565202;
    /**
     * Buffers from a pool shared by all threads (Jackson's default pool is per thread; checkpoints are serialised on
     * the calls' virtual threads, each new, so every call allocated the generator's buffers afresh).
     */
    private static final ObjectMapper JSON = JsonMapper.builder(PooledJson.factory())
            .addModule(new JavaTimeModule())
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ClusterCipher cipher;

    public ClusterValueSerializer(ClusterCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public int getTypeId() {
        return TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, ClusterValue value) throws IOException {
        // the name and the fields encoded straight into one pooled buffer, sealed from there into its second one
        PooledBytes plain = PooledBytes.take();
        try {
            plain.write(HEADS.get(value.getClass()));
            JSON.writeValue(plain, value); // closing the stream (Jackson's default) does nothing
            byte[] sealed = plain.room(ClusterCipher.sealedLength(plain.size()));
            int n = cipher.seal(plain.bytes(), plain.size(), sealed);
            out.writeInt(n); // what writeByteArray writes: the length, then the bytes
            out.write(sealed, 0, n);
        } finally {
            plain.giveBack();
        }
    }

    /** Each type's wire name and its newline, as written before the fields. */
    private static final ClassValue<byte[]> HEADS = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            return (WireNames.wireName(type.getName()) + "\n").getBytes(StandardCharsets.UTF_8);
        }
    };

    @Override
    public ClusterValue read(ObjectDataInput in) throws IOException {
        byte[] sealed = in.readByteArray();
        if (sealed == null) {
            throw new HazelcastSerializationException("cluster value without content");
        }
        byte[] plain;
        try {
            plain = cipher.open(sealed);
        } catch (SecurityException e) {
            throw new HazelcastSerializationException("cluster value refused: " + e.getMessage());
        }
        int nl = 0;
        while (nl < plain.length && plain[nl] != '\n') {
            nl++;
        }
        String name = WireNames.className(new String(plain, 0, nl, StandardCharsets.UTF_8));
        Class<?> type;
        try {
            type = Class.forName(name, false, ClusterValue.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new HazelcastSerializationException("cluster value of an unknown type " + name);
        }
        if (!ClusterValue.class.isAssignableFrom(type) || !name.startsWith("dev.ivr.server.")) {
            throw new HazelcastSerializationException("not a cluster value type: " + name);
        }
        return (ClusterValue) JSON.readValue(plain, nl + 1, plain.length - nl - 1, type);
    }
}
