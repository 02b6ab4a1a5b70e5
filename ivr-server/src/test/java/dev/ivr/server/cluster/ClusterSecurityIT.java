package dev.ivr.server.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.desk.sessions.Sessions;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cluster as an outsider on the same network sees it: a real member on loopback holding a session, a call
 * context, a checkpoint and an agent, probed by foreign Hazelcast members and clients (real ones, in this JVM)
 * that know the configured cluster name but not the secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class ClusterSecurityIT {
    static final String CUSTOMER = "Jane Roe-Secret";
    @TempDir
    static Path dir;
    static ClusterMember member;
    static HazelcastInstance hz;
    static String configuredName;
    static int port;
    static String token;
    static RoutingService routing;
    static final List<HazelcastInstance> foreign = new ArrayList<>();

    @BeforeAll
    static void start() {
        var cluster = TestConfigs.server(dir).cluster();
        configuredName = cluster.name();
        member = ClusterMember.start(cluster, "ours", dir);
        hz = member.hazelcast();
        port = hz.getCluster().getLocalMember().getAddress().getPort();
        Sessions sessions = new Sessions(hz, Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofSeconds(30), 5, 30,
                Duration.ofMinutes(5), Clock.systemUTC());
        token = sessions.open(new User("root-admin", "Root Admin", Set.of("admin"), null, Map.of(), Set.of(), true,
                Instant.now(), Instant.now()));
        new CallContexts(hz, Duration.ofMinutes(10)).put(new CallContext("1700000000.1", "+3612345678", "customer-service",
                "C1001", CUSTOMER, "gold", Map.of("account", "10001"), "OK", "billing", Map.of(), List.of("menu"), Map.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), "billing", "alice", Instant.now(), false));
        new HazelcastCheckpoints(hz, Duration.ofMinutes(10), OffCallThreads.SHARED).save("1700000000.1", "{\"node\":\"menu\",\"customer\":\"" + CUSTOMER + "\"}");
        routing = HazelcastRouting.start(hz, List.of());
        routing.login(new AgentProfile("alice", "Alice Agent-Secret", "PJSIP/1001", Map.of("billing", 5), Set.of("en")));
        await().until(() -> hz.getMap(HazelcastCheckpoints.MAP).containsKey("1700000000.1"));
    }

    @AfterAll
    static void stop() {
        foreign.forEach(HazelcastInstance::shutdown);
        if (routing != null) {
            routing.close();
        }
        member.close();
    }

    @Test
    @Order(1)
    void theMemberListensOnItsConfiguredAddressOnly() throws IOException {
        List<String> listeners = listeningAddresses(port);
        assertThat(listeners).as("sockets listening on port %d", port).containsExactly("127.0.0.1");
    }

    @Test
    @Order(2)
    void aForeignMemberWithTheClusterNameButNoSecretIsRefusedAndReadsNothing() {
        HazelcastInstance outsider = Hazelcast.newHazelcastInstance(foreignMember(configuredName));
        foreign.add(outsider);
        assertThat(outsider.getCluster().getMembers()).hasSize(1);
        assertThat(hz.getCluster().getMembers()).hasSize(1);
        assertThat(outsider.getMap(Sessions.SESSIONS).size()).isZero();
        assertThat(outsider.getMap(CallContexts.MAP).size()).isZero();
        assertThat(outsider.getMap(HazelcastCheckpoints.MAP).size()).isZero();
        assertThat(outsider.getMap("ivr.routing.agents").size()).isZero();
        outsider.shutdown();
    }

    @Test
    @Order(3)
    void aForeignClientIsRefusedWithTheClusterNameAndEvenWithTheDerivedOne() {
        for (String name : List.of(configuredName, hz.getConfig().getClusterName())) {
            ClientConfig c = new ClientConfig().setClusterName(name);
            c.setProperty("hazelcast.phone.home.enabled", "false");
            c.getNetworkConfig().addAddress("127.0.0.1:" + port);
            c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
            assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(c)).as("client with cluster name %s", name)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    @Order(4)
    void noSigningKeyIsKeptInTheCluster() {
        assertThat(hz.getDistributedObjects()).noneMatch(o -> o.getName().contains("secret"));
        assertThat(hz.getConfig().getClusterName()).startsWith(configuredName + "-").isNotEqualTo(configuredName);
    }

    /**
     * The worst case: a process that learned the derived cluster name (by watching the network) joins. It still
     * reads only ciphertext, cannot forge or move a session, and cannot make the member deserialize a class
     * outside the allowlist.
     */
    @Test
    @Order(5)
    void aMemberThatLearnedTheDerivedNameReadsOnlyCiphertextAndCannotForge() {
        Config c = foreignMember(hz.getConfig().getClusterName());
        c.getSerializationConfig().addSerializerConfig(new SerializerConfig().setTypeClass(Raw.class)
                .setImplementation(new RawSerializer()));
        HazelcastInstance spy = Hazelcast.newHazelcastInstance(c);
        foreign.add(spy);
        await().atMost(Duration.ofMinutes(1)).until(() -> hz.getCluster().getMembers().size() == 2);

        // reads: ciphertext only
        IMap<String, Object> sessions = spy.getMap(Sessions.SESSIONS);
        Raw session = (Raw) sessions.get(Sessions.keyOf(token));
        assertThat(session).isNotNull();
        assertThat(new String(session.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("root-admin", "admin", "Root");
        Raw context = (Raw) spy.getMap(CallContexts.MAP).get("1700000000.1");
        assertThat(new String(context.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain(CUSTOMER, "10001");
        Raw checkpoint = (Raw) spy.getMap(HazelcastCheckpoints.MAP).get("1700000000.1");
        assertThat(new String(checkpoint.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain(CUSTOMER, "menu");
        assertThatThrownBy(() -> spy.getMap("ivr.routing.agents").get("alice")).as("a routing record without the key")
                .isInstanceOf(HazelcastSerializationException.class);

        Sessions ours = new Sessions(hz, Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofSeconds(30), 5, 30,
                Duration.ofMinutes(5), Clock.systemUTC());
        assertThat(ours.find(token)).isPresent();
        // writes: a made-up session is refused ...
        sessions.put(Sessions.keyOf("forged-token"), new Raw(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertThat(ours.find("forged-token")).isEmpty();
        // ... and so is the admin's real session copied under a token the intruder knows
        sessions.put(Sessions.keyOf("copied-token"), session);
        assertThat(ours.find("copied-token")).isEmpty();
        assertThat(ours.find(token)).isPresent();
        // a forged call context is no context
        spy.getMap(CallContexts.MAP).put("1700000000.2", new Raw(context.bytes().clone()));
        assertThat(new CallContexts(hz, Duration.ofMinutes(10)).get("1700000000.2")).isEmpty();
        // Java serialization: classes outside the allowlist are never resolved
        spy.getMap("ivr.probe").put("gadget", URI.create("http://example.invalid/"));
        assertThatThrownBy(() -> hz.getMap("ivr.probe").get("gadget"))
                .hasStackTraceContaining("is not allowed");
    }

    private static Config foreignMember(String clusterName) {
        Config c = new Config().setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.max.join.seconds", "5");
        c.getNetworkConfig().setPort(0); // any free port
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        return c;
    }

    /** The local addresses listening on a TCP port, from the kernel's tables (IPv4 and IPv6). */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> out = new ArrayList<>();
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes between two reads on a busy machine
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].endsWith(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                    out.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return out;
    }

    private static String address(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // an IPv4 address mapped into IPv6
            return address(hex.substring(24));
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
    }

    /** What an intruder sees of a server value: the bytes Hazelcast holds. */
    record Raw(byte[] bytes) {
    }

    /** Reads and writes server values as raw bytes, under the server values' type id. */
    static final class RawSerializer implements StreamSerializer<Raw> {
        @Override
        public int getTypeId() {
            return ClusterValueSerializer.TYPE_ID;
        }

        @Override
        public void write(ObjectDataOutput out, Raw object) throws IOException {
            out.writeByteArray(object.bytes());
        }

        @Override
        public Raw read(ObjectDataInput in) throws IOException {
            return new Raw(in.readByteArray());
        }
    }
}
