package dev.ivr.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.wire.ClusterValue;
import org.junit.jupiter.api.Test;

class WireNamesTest {

    @Test
    void movedClassesKeepTheNameTheyWereWrittenUnder() {
        assertThat(WireNames.wireName(CallContext.class.getName())).isEqualTo("dev.ivr.server.desk.CallContext");
        assertThat(WireNames.wireName(DeskMessage.Kind.class.getName()))
                .isEqualTo("dev.ivr.server.desk.DeskMessage$Kind");
        assertThat(WireNames.className("dev.ivr.server.desk.CallContext")).isEqualTo(CallContext.class.getName());
        assertThat(WireNames.className("dev.ivr.server.desk.DeskMessage")).isEqualTo(DeskMessage.class.getName());
    }

    @Test
    void aCallContextIsSealedUnderItsOldNameAndReadBack() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 5);
        ClusterCipher cipher = new ClusterCipher(key, "server values");
        var config = new com.hazelcast.config.SerializationConfig();
        config.addSerializerConfig(new com.hazelcast.config.SerializerConfig().setTypeClass(ClusterValue.class)
                .setImplementation(new ClusterValueSerializer(cipher)));
        var service = new com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder()
                .setConfig(config).build();
        CallContext context = new CallContext("1.42", "+3612345678", "main", "C1", "Anna", "gold",
                java.util.Map.of(), "OK", "billing", java.util.Map.of(), java.util.List.of("welcome"),
                java.util.Map.of(), java.time.Duration.ofSeconds(4), java.time.Duration.ofSeconds(1), "billing",
                "alice", java.time.Instant.parse("2025-01-06T09:00:00Z"), false);
        com.hazelcast.internal.serialization.Data data = service.toData(context);
        Object back = service.toObject(data);
        assertThat(back).isEqualTo(context);
        // the sealed bytes name the type as the previous release did: it reads them during a rolling upgrade
        byte[] payload = data.toByteArray();
        byte[] sealed = java.util.Arrays.copyOfRange(payload, payload.length - sealedLength(payload), payload.length);
        String plain = new String(cipher.open(sealed), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(plain).startsWith("dev.ivr.server.desk.CallContext\n{");
    }

    /** The sealed array is the last field of the serialized value: a 4-byte length, then the bytes. */
    static int sealedLength(byte[] payload) {
        for (int start = 0; start < payload.length - 4; start++) {
            int n = java.nio.ByteBuffer.wrap(payload, start, 4).getInt();
            if (n > 0 && start + 4 + n == payload.length) {
                return n;
            }
        }
        throw new AssertionError("no sealed array in the serialized value");
    }

    @Test
    void otherClassesAreWrittenUnderTheirName() {
        String offer = "dev.ivr.server.routing.Offers$Offer";
        assertThat(WireNames.wireName(offer)).isEqualTo(offer);
        assertThat(WireNames.className(offer)).isEqualTo(offer);
    }

    @Test
    void everyMovedNameLeadsToAClusterValue() throws Exception {
        for (var e : WireNames.moved().entrySet()) {
            assertThat(ClusterValue.class.isAssignableFrom(Class.forName(e.getValue()))).as(e.getKey()).isTrue();
            assertThat(e.getKey()).as("an old name must not be a class today").satisfies(old ->
                    assertThat(classExists(old)).isFalse());
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
