package dev.ivr.testsupport;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Hazelcast members on loopback, isolated from every other cluster on this machine: a random cluster name,
 * no multicast, no phone-home; each member binds port 0 (any free port) and joins by TCP-IP the members started
 * before it, at the addresses they bound. Short heartbeats and join waits, so that tests of members leaving and
 * joining finish in seconds.
 */
public final class TestCluster implements AutoCloseable {
    private final String name = "ivr-test-" + UUID.randomUUID();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final int partitions;
    private final Consumer<Config> customizer;

    private TestCluster(int partitions, Consumer<Config> customizer) {
        this.partitions = partitions;
        this.customizer = customizer;
    }

    /** Starts {@code size} members (71 partitions: quicker to start and migrate than the default 271). */
    public static TestCluster start(int size) {
        return start(size, 71);
    }

    /** Starts {@code size} members with {@code partitions} partitions. */
    public static TestCluster start(int size, int partitions) {
        return start(size, partitions, config -> { });
    }

    /**
     * Starts {@code size} members, each configured by {@code customizer} after the test settings (for example to
     * register serializers).
     */
    public static TestCluster start(int size, int partitions, Consumer<Config> customizer) {
        TestCluster cluster = new TestCluster(partitions, customizer);
        try {
            for (int i = 0; i < size; i++) {
                cluster.members.add(Hazelcast.newHazelcastInstance(cluster.config(i)));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The member started {@code index}-th (from 0). */
    public HazelcastInstance member(int index) {
        return members.get(index);
    }

    /** Every member started, in order (killed ones included). */
    public List<HazelcastInstance> members() {
        return List.copyOf(members);
    }

    /** Kills a member abruptly (no graceful leave, no migration before it goes). */
    public void kill(int index) {
        members.get(index).getLifecycleService().terminate();
    }

    private Config config(int index) {
        Config config = new Config();
        config.setClusterName(name);
        config.setInstanceName(name + "-" + index);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.partition.count", Integer.toString(partitions));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "20");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(0).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (HazelcastInstance running : members.subList(0, index)) { // none for the first: it forms the cluster
            Address a = running.getCluster().getLocalMember().getAddress();
            join.getTcpIpConfig().addMember(a.getHost() + ":" + a.getPort());
        }
        customizer.accept(config);
        return config;
    }

    /** Terminates every member still running. */
    @Override
    public void close() {
        for (HazelcastInstance member : members) {
            try {
                member.getLifecycleService().terminate();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
