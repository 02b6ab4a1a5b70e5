package dev.ivr.server.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's range of ephemeral ports (Linux: {@code net.ipv4.ip_local_port_range}), from which every outgoing
 * connection takes its local port. A cluster member listening on a port of that range is at risk when another
 * member on the same host keeps reconnecting to it after it died: one of those connections can take the dead
 * member's port as its own local port and connect to itself (TCP self-connect). The reconnecting member then
 * holds that address as its own, and the member restarted on it is never reached again (it hangs joining).
 */
record EphemeralPorts(int low, int high) {
    static final Path LINUX = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** The range the kernel says, when it says (Linux); empty elsewhere or when the file cannot be read. */
    static Optional<EphemeralPorts> of(Path file) {
        try {
            // not Files.readString: it trusts the size /proc gives (0) and reads a single character
            return parse(String.join(" ", Files.readAllLines(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** "32768\t60999" as the kernel writes it. */
    static Optional<EphemeralPorts> parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            int low = Integer.parseInt(parts[0]);
            int high = Integer.parseInt(parts[1]);
            return low > 0 && low <= high ? Optional.of(new EphemeralPorts(low, high)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether any port from {@code first} to {@code last} lies in the range. */
    boolean overlaps(int first, int last) {
        return first <= high && last >= low;
    }
}
