package dev.ivr.routing.test;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.ivr.routing.hazelcast.HazelcastRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hazelcast members on loopback, isolated from every other cluster on this machine: a random cluster name,
 * no multicast, TCP-IP join on explicit 127.0.0.1 ports picked free at start, no phone-home.
 */
public final class TestCluster implements AutoCloseable {
    private final String name = "ivr-routing-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final int partitions;
    private final dev.ivr.routing.ValueSeal seal;

    private TestCluster(int size, int partitions, dev.ivr.routing.ValueSeal seal) {
        this.partitions = partitions;
        this.seal = seal;
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
    }

    /** Starts {@code size} members (71 partitions: quicker to start and migrate than the default 271). */
    public static TestCluster start(int size) {
        return start(size, 71);
    }

    public static TestCluster start(int size, int partitions) {
        return start(size, partitions, null);
    }

    /** Members whose routing values are sealed by {@code seal} (null: plain). */
    public static TestCluster start(int size, int partitions, dev.ivr.routing.ValueSeal seal) {
        TestCluster cluster = new TestCluster(size, partitions, seal);
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

    public HazelcastInstance member(int index) {
        return members.get(index);
    }

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
        if (seal != null) {
            dev.ivr.routing.hazelcast.HazelcastRouting.seal(config.getSerializationConfig(), seal);
        }
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(ports.get(index)).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int port : ports) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + port);
        }
        return config;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
