package dev.ivr.server.config;

import java.time.Duration;
import java.util.List;

public record AgiConfig(
        @Doc("Address the FastAGI listener binds to. 0.0.0.0 listens on every interface.")
        String bind,
        @Doc("TCP port of the FastAGI listener (Asterisk's default is 4573); 0 picks a free port (the one bound is reported in <data-dir>/ports.json).")
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
        Duration drainTime,
        @Doc("The kind of thread each call runs on: virtual (the default: a few kilobytes of heap per call, each wait parks) or platform (operating-system threads with blocking reads, reused from call to call; an idle one ends after a minute). See docs/operators.md (Call threads) for when platform threads pay.")
        String callThreads,
        @Doc("Stack size of each call's platform thread in KB (128 to 16384); ignored for virtual threads.")
        int callThreadStackKb) implements Validated {

    /** The call thread kinds {@code call-threads} accepts. */
    public static final List<String> CALL_THREADS = List.of("virtual", "platform");
    /** The default {@code call-thread-stack-kb}. */
    public static final int DEFAULT_CALL_THREAD_STACK_KB = 512;

    public AgiConfig {
        allow = allow == null ? List.of() : List.copyOf(allow);
        callThreads = callThreads == null ? "virtual" : callThreads;
    }

    /** With the call threads as the defaults have them (virtual). */
    public AgiConfig(String bind, int port, List<String> allow, Duration idleTimeout, int maxLineLength, int maxCalls,
                     Duration drainTime) {
        this(bind, port, allow, idleTimeout, maxLineLength, maxCalls, drainTime, "virtual", DEFAULT_CALL_THREAD_STACK_KB);
    }

    /** Whether each call runs on a platform thread, reused from call to call ({@code call-threads: platform}). */
    public boolean platformCallThreads() {
        return "platform".equals(callThreads);
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
        if (!CALL_THREADS.contains(callThreads)) {
            p.add("call-threads", "must be one of " + CALL_THREADS + " (got " + callThreads + ")");
        }
        if (callThreadStackKb < 128 || callThreadStackKb > 16_384) {
            p.add("call-thread-stack-kb", "must be between 128 and 16384 (got " + callThreadStackKb + ")");
        }
    }
}
