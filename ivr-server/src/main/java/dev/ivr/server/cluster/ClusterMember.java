package dev.ivr.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.health.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's embedded Hazelcast member. Single node unless other members are listed (or
 * multicast is on): joining a cluster is a configuration change only.
 */
public final class ClusterMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private final HazelcastInstance hazelcast;

    private ClusterMember(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** Starts the member and waits until it has joined (or formed) its cluster. */
    public static ClusterMember start(ClusterConfig cluster, String nodeName) {
        Config config = hazelcastConfig(cluster, nodeName);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
                LOG.info("cluster member joined: {} (node {}); {} member(s) now", e.getMember().getAddress(),
                        e.getMember().getAttribute("node"), e.getMembers().size());
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
                LOG.warn("cluster member left: {} (node {}); {} member(s) now", e.getMember().getAddress(),
                        e.getMember().getAttribute("node"), e.getMembers().size());
            }
        });
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                LOG.info("cluster member shutting down");
            }
        });
        LOG.info("cluster '{}' joined as {}: {} member(s)", cluster.name(), hz.getCluster().getLocalMember().getAddress(),
                hz.getCluster().getMembers().size());
        return new ClusterMember(hz);
    }

    static Config hazelcastConfig(ClusterConfig cluster, String nodeName) {
        Config config = new Config();
        config.setInstanceName("ivr-" + nodeName + "-" + Long.toHexString(System.nanoTime()));
        config.setClusterName(cluster.name());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the server stops it after draining calls
        config.getMemberAttributeConfig().setAttribute("node", nodeName);

        NetworkConfig net = config.getNetworkConfig();
        net.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(20);
        if (!cluster.bind().equals("0.0.0.0")) { // 0.0.0.0: every interface, Hazelcast picks the address to advertise
            net.getInterfaces().setEnabled(true).addInterface(cluster.bind());
            config.setProperty("hazelcast.local.localAddress", cluster.bind());
        }
        JoinConfig join = net.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(cluster.multicast());
        join.getTcpIpConfig().setEnabled(!cluster.multicast());
        for (String m : cluster.members()) {
            join.getTcpIpConfig().addMember(m);
        }
        config.getMapConfig("default").setBackupCount(cluster.backupCount());
        return config;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public Health health() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return Health.down("Hazelcast member is not running");
        }
        int members = hazelcast.getCluster().getMembers().size();
        return Health.up(members + " member(s) in cluster '" + hazelcast.getConfig().getClusterName() + "'");
    }

    @Override
    public void close() {
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
    }
}
