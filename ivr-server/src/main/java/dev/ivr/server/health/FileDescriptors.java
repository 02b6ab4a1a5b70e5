package dev.ivr.server.health;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's file descriptors: every call, HTTP connection, database connection and cluster connection
 * holds one, and when none is left no listener can accept anything (and the JVM may fail in ways it never
 * recovers from). DEGRADED from {@value #DEGRADED_AT}% in use, DOWN from {@value #DOWN_AT}%.
 */
public final class FileDescriptors {
    static final int DEGRADED_AT = 80;
    static final int DOWN_AT = 95;

    private FileDescriptors() {
    }

    /** The process's state, or UP with no figures where the platform does not tell them. */
    public static Health health() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return of(unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount());
        }
        return Health.up("file descriptors: not reported on this platform");
    }

    static Health of(long open, long max) {
        String figures = open + " of " + max + " file descriptors in use";
        if (max <= 0) {
            return Health.up(figures);
        }
        if (open * 100 >= max * DOWN_AT) {
            return Health.down(figures + ": new calls and connections cannot be accepted (raise LimitNOFILE, lower"
                    + " http.max-connections or agi.max-calls)");
        }
        if (open * 100 >= max * DEGRADED_AT) {
            return Health.degraded(figures);
        }
        return Health.up(figures);
    }
}
