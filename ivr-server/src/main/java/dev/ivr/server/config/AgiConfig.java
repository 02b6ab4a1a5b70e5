package dev.ivr.server.config;

import java.time.Duration;
import java.util.List;

public record AgiConfig(
        @Doc("Address the FastAGI listener binds to. 0.0.0.0 listens on every interface.")
        String bind,
        @Doc("TCP port of the FastAGI listener (Asterisk's default is 4573); 0 picks a free port.")
        int port,
        @Doc("PBX addresses allowed to connect, as CIDR blocks (IPv4 or IPv6). Other connections are closed at once and logged; FastAGI itself has no authentication.")
        List<String> allow,
        @Doc("How long a new connection may take to send its AGI environment before it is closed.")
        Duration idleTimeout,
        @Doc("Longest line accepted from the PBX, in bytes; a longer line ends that call.")
        int maxLineLength,
        @Doc("Most calls served at once by this server; further connections are refused with a log line.")
        int maxCalls,
        @Doc("On shutdown (SIGTERM), how long calls in progress may continue before they are cut.")
        Duration drainTime) implements Validated {

    public AgiConfig {
        allow = allow == null ? List.of() : List.copyOf(allow);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("bind", bind);
        p.listenPort("port", port);
        for (int i = 0; i < allow.size(); i++) {
            try {
                dev.ivr.server.net.Cidr.parse(allow.get(i));
            } catch (IllegalArgumentException e) {
                p.add("allow[" + i + "]", e.getMessage());
            }
        }
        if (allow.isEmpty()) {
            p.add("allow", "is empty, so no PBX could connect; list the PBX addresses, e.g. [127.0.0.1/32]");
        }
        p.positive("idle-timeout", idleTimeout);
        if (maxLineLength < 256 || maxLineLength > 1_048_576) {
            p.add("max-line-length", "must be between 256 and 1048576 bytes (got " + maxLineLength + ")");
        }
        p.positive("max-calls", maxCalls);
        if (drainTime == null || drainTime.isNegative()) {
            p.add("drain-time", "must be a duration of 0s or more (got " + drainTime + ")");
        }
    }
}
