package dev.ivr.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.ivr.server.wire.ClusterValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClusterValueSerializerTest {
    private final ClusterCipher cipher = new ClusterCipher(key(), "server values");
    private final SerializationService service = service(cipher);

    /**
     * A value larger than the encoding buffer's first size, with text JSON escapes and non-ASCII text, is sealed as its
     * type's name, a newline and its JSON (the format every release reads), and reads back equal; small ones likewise.
     */
    @Test
    void valuesOfEverySizeAreSealedAsNameNewlineJsonAndReadBack() {
        String state = "{\"vars\":{\"name\":\"Kovács \\\"Anna\\\"\",\"x\":\"\u4e2d\"}}".repeat(200);
        for (HazelcastCheckpoints.Checkpoint value : new HazelcastCheckpoints.Checkpoint[] {
                new HazelcastCheckpoints.Checkpoint("1.42", state, "m-1"),
                new HazelcastCheckpoints.Checkpoint("1.43", "{}", null)}) {
            Data data = service.toData(value);
            Object back = service.toObject(data);
            assertThat(back).isEqualTo(value);
            byte[] payload = data.toByteArray();
            int at = payload.length - WireNamesTest.sealedLength(payload);
            byte[] sealed = Arrays.copyOfRange(payload, at, payload.length);
            String plain = new String(cipher.open(sealed), StandardCharsets.UTF_8);
            assertThat(plain).startsWith("dev.ivr.server.cluster.HazelcastCheckpoints$Checkpoint\n{\"callId\":\""
                    + value.callId() + "\"").endsWith("}").hasLineCount(2);
        }
    }

    /** Sealing part of an array seals exactly that part. */
    @Test
    void aPrefixOfAnArraySealsAsTheSameBytesAlone() {
        byte[] buf = "hello, world; and what follows is not sealed".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = cipher.seal(buf, 12);
        assertThat(new String(cipher.open(sealed), StandardCharsets.UTF_8)).isEqualTo("hello, world");
    }

    /** Sealing into a buffer that held something before: only the sealed length counts, and it opens. */
    @Test
    void sealingIntoAUsedBufferWritesAWholeValue() {
        byte[] out = new byte[ClusterCipher.sealedLength(100)];
        Arrays.fill(out, (byte) 0x5a);
        byte[] plain = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        int n = cipher.seal(plain, plain.length, out);
        assertThat(n).isEqualTo(ClusterCipher.sealedLength(plain.length));
        assertThat(new String(cipher.open(Arrays.copyOf(out, n)), StandardCharsets.UTF_8)).isEqualTo("twelve bytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.seal(plain, plain.length, new byte[n - 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SerializationService service(ClusterCipher cipher) {
        SerializationConfig config = new SerializationConfig();
        config.addSerializerConfig(new SerializerConfig().setTypeClass(ClusterValue.class)
                .setImplementation(new ClusterValueSerializer(cipher)));
        return new DefaultSerializationServiceBuilder().setConfig(config).build();
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return key;
    }
}
