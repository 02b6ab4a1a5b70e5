package dev.ivr.server.config;

import java.util.List;

public record ClusterConfig(
        @Doc("Cluster name: only members with the same name join each other.")
        String name,
        @Doc("Address the Hazelcast member binds to and advertises; it listens on this address only (0.0.0.0: every interface, on purpose). Anything but loopback needs secret-file.")
        String bind,
        @Doc("Hazelcast member port; the next ports are tried when it is taken. With several members on one host keep it below the kernel's ephemeral port range (Linux: net.ipv4.ip_local_port_range, usually from 32768): a member restarted on a port of that range can hang joining (see docs/high-availability.md). 0 picks a free port (the one bound is reported in <data-dir>/ports.json): other members cannot list it in their members then, but it can join them.")
        int port,
        @Doc("Other members to join as host:port. Empty with multicast off: a single-node cluster.")
        List<String> members,
        @Doc("Find members by multicast instead of the list (same network segment only).")
        boolean multicast,
        @Doc("Synchronous backups of every partition: how many members may die at once without losing state.")
        int backupCount,
        @Doc("File with the secret every member of the cluster shares: at least 32 random bytes as base64 or hex ('ivr-server cluster-key FILE' writes one), owned by the service user and readable by it only. Every value kept in the cluster is encrypted and authenticated with keys derived from it, and members without it cannot join. Required when bind, members or multicast reach beyond loopback; empty on loopback: generated as <data-dir>/cluster.key.")
        String secretFile) implements Validated {

    public ClusterConfig {
        members = members == null ? List.of() : List.copyOf(members);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("name", name);
        p.notBlank("bind", bind);
        p.listenPort("port", port);
        for (int i = 0; i < members.size(); i++) {
            String m = members.get(i);
            if (!m.matches("[^\\s:]+(:\\d{1,5})?") && !m.matches("\\[[0-9a-fA-F:]+](:\\d{1,5})?")) {
                p.add("members[" + i + "]", "must be host or host:port (got '" + m + "')");
            }
        }
        if (backupCount < 0 || backupCount > 6) {
            p.add("backup-count", "must be between 0 and 6 (got " + backupCount + ")");
        }
    }
}
