package dev.ivr.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.wire.ClusterValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * This server's embedded Hazelcast member. Single node unless other members are listed (or multicast is on):
 * joining a cluster is a configuration change only.
 *
 * <p>Closed by default: the member listens on {@code cluster.bind} only, with the member endpoint alone (no
 * client, REST or memcache endpoint); the cluster name carries a tag derived from the {@link ClusterSecret}, so
 * members and clients without the secret are refused at the join; every value the server and the routing
 * library keep in the cluster is sealed ({@link ClusterCipher}); Java deserialization is limited to an allowlist.
 * A member that stops while the server runs (an OutOfMemoryError in a Hazelcast thread ends it) is reported
 * to {@code onLost}: the server cannot route without it.
 */
public final class ClusterMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    /** Java serialization is allowed only for these (exceptions travelling back from other members, JDK types). */
    static final String[] JAVA_ALLOWED_PREFIXES = {"java.lang.", "java.util.", "java.time.", "java.math.",
            "com.hazelcast.", "dev.ivr.", "[Ljava.lang.", "[Ljava.util.", "[Lcom.hazelcast."};

    /** How many ports from {@code cluster.port} on the member tries. */
    static final int PORT_COUNT = 100;

    private final HazelcastInstance hazelcast;
    private final ClusterConfig cluster;
    private volatile boolean closing;

    private ClusterMember(HazelcastInstance hazelcast, ClusterConfig cluster) {
        this.hazelcast = hazelcast;
        this.cluster = cluster;
    }

    /** Starts the member and waits until it has joined (or formed) its cluster; a lost member is only logged. */
    public static ClusterMember start(ClusterConfig cluster, String nodeName, Path dataDir) {
        return start(cluster, nodeName, dataDir, reason -> { });
    }

    /**
     * Starts the member and waits until it has joined (or formed) its cluster.
     *
     * @param dataDir where the loopback secret is generated when none is configured
     * @param onLost  called once, with the reason, when the member stops without {@link #close} (the running server exits)
     * @throws IllegalStateException when the secret is missing or unsafe (the message says what to do)
     */
    public static ClusterMember start(ClusterConfig cluster, String nodeName, Path dataDir, Consumer<String> onLost) {
        ClusterSecret secret = ClusterSecret.load(cluster, dataDir);
        warnOfEphemeralPorts(cluster, EphemeralPorts.of(EphemeralPorts.LINUX));
        Config config = hazelcastConfig(cluster, nodeName, secret);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        ClusterMember member = new ClusterMember(hz, cluster);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                LOG.info("cluster member joined: {} (node {}); {} member(s) now", e.getMember().getAddress(),
                        e.getMember().getAttribute("node"), e.getMembers().size());
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                LOG.warn("cluster member left: {} (node {}); {} member(s) now", e.getMember().getAddress(),
                        e.getMember().getAttribute("node"), e.getMembers().size());
            }
        });
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                LOG.info("cluster member shutting down");
            } else if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && !member.closing) {
                String reason = "the Hazelcast member stopped while the server runs (out of memory, or terminated)";
                LOG.error("{}: agents, queues and sessions are out of reach", reason);
                onLost.accept(reason);
            }
        });
        LOG.info("cluster '{}' joined as {}: {} member(s); secret {}", cluster.name(),
                hz.getCluster().getLocalMember().getAddress(), hz.getCluster().getMembers().size(), secret.file());
        return member;
    }

    /**
     * A member port in the kernel's ephemeral range is taken over by a self-connected socket now and then when its
     * member dies and another member on the same host keeps reconnecting: the restarted member then hangs joining.
     * Said once at the start, with what to do; answers whether it was said.
     */
    static boolean warnOfEphemeralPorts(ClusterConfig cluster, java.util.Optional<EphemeralPorts> ephemeral) {
        if (cluster.port() == 0 || ephemeral.isEmpty()
                || !ephemeral.get().overlaps(cluster.port(), cluster.port() + PORT_COUNT - 1)) {
            return false;
        }
        LOG.warn("cluster.port {} (and the {} after it, tried when it is taken) lies in the kernel's ephemeral port "
                        + "range {}-{}: when a member on this host dies, another member on this host reconnecting to it "
                        + "can take its port for itself and the member started again there cannot rejoin. Use a port "
                        + "below {} (the default 5701 is), or reserve the member ports with the sysctl "
                        + "net.ipv4.ip_local_reserved_ports", cluster.port(), PORT_COUNT - 1, ephemeral.get().low(),
                ephemeral.get().high(), ephemeral.get().low());
        return true;
    }

    static Config hazelcastConfig(ClusterConfig cluster, String nodeName, ClusterSecret secret) {
        Config config = new Config();
        config.setInstanceName("ivr-" + nodeName + "-" + Long.toHexString(System.nanoTime()));
        // only members holding the secret can name the cluster: others are refused at the join
        config.setClusterName(cluster.name() + "-" + secret.tag());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the server stops it after draining calls
        // Hazelcast's own metrics are collected every 5 s for the Management Center and JMX, which ivr does not
        // offer (no client endpoint, JMX off): a quarter of an idle server's CPU samples on Java threads, ~1-3 ms of
        // CPU a second (docs/benchmarks.md, bg26). The map statistics (getLocalMapStats) and the health monitor do not
        // depend on it; ivr's metrics are Micrometer's.
        config.getMetricsConfig().setEnabled(false);
        config.getMemberAttributeConfig().setAttribute("node", nodeName);
        secret.attachTo(config);

        boolean everyInterface = cluster.bind().equals("0.0.0.0") || cluster.bind().equals("::");
        String bindAny = Boolean.toString(everyInterface);
        config.setProperty("hazelcast.socket.bind.any", bindAny);
        config.setProperty("hazelcast.socket.server.bind.any", bindAny);
        config.setProperty("hazelcast.socket.client.bind.any", bindAny);
        // the member endpoint only: no client, REST, memcache or WAN endpoint unless configured here
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        member.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
        if (!everyInterface) {
            member.getInterfaces().setEnabled(true).addInterface(cluster.bind());
            config.setProperty("hazelcast.local.localAddress", cluster.bind());
        }
        network.setMemberEndpointConfig(member);
        JoinConfig join = network.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(cluster.multicast());
        join.getTcpIpConfig().setEnabled(!cluster.multicast());
        for (String m : cluster.members()) {
            join.getTcpIpConfig().addMember(m);
        }
        config.getMapConfig("default").setBackupCount(cluster.backupCount());

        byte[] valueKey = secret.derive("ivr/cluster-values/v1");
        SerializationConfig serialization = config.getSerializationConfig();
        serialization.addSerializerConfig(new SerializerConfig().setTypeClass(ClusterValue.class)
                .setImplementation(new ClusterValueSerializer(new ClusterCipher(valueKey, "server values"))));
        HazelcastRouting.seal(serialization, new ClusterCipher(valueKey, "routing values"));
        JavaSerializationFilterConfig javaFilter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        javaFilter.setWhitelist(new ClassFilter().addPrefixes(JAVA_ALLOWED_PREFIXES));
        serialization.setJavaSerializationFilterConfig(javaFilter);
        // no class is ever made up from a name by zero-configuration compact serialization
        serialization.getCompactSerializationConfig().setZeroConfigFilter(new JavaSerializationFilterConfig()
                .setDefaultsDisabled(true).setWhitelist(new ClassFilter().addClasses("dev.ivr.server.cluster.None")));
        return config;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** UP with the member count; DOWN when the member is no longer running (the server cannot route). */
    public Health health() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return Health.down("Hazelcast member is not running");
        }
        int members = hazelcast.getCluster().getMembers().size();
        return Health.up(members + " member(s) in cluster '" + cluster.name() + "'");
    }

    @Override
    public void close() {
        closing = true;
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
    }
}
