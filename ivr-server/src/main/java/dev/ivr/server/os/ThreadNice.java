package dev.ivr.server.os;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling priority on Linux: raises its nice value with {@code
 * setpriority(PRIO_PROCESS, gettid(), nice)}, which any thread may do to itself without privilege (only raising a
 * priority needs one). Java's thread priorities do nothing on Linux for an unprivileged process.
 *
 * <p>libc is called through the Foreign Function and Memory API (final in Java 22), looked up reflectively so
 * that the server still compiles for and runs on Java 21, where that API is a preview: there, and off Linux, this
 * is a no-op. The jar's manifest ({@code Enable-Native-Access: ALL-UNNAMED}) allows the native call without the
 * JDK's warning. A failure never reaches the caller: one DEBUG line, the thread runs on at its priority.
 */
public final class ThreadNice {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadNice.class);
    /** The highest nice value (lowest priority) Linux has. */
    public static final int MAX = 19;
    private static final int PRIO_PROCESS = 0;

    private static final Natives NATIVES = Natives.load();

    private ThreadNice() {
    }

    /**
     * Lowers the calling thread's priority to the process's nice value plus {@code by} (at most {@link #MAX}); a
     * thread already at that value or lower is left as it is.
     *
     * @param by how many nice steps below the process (1-19); 0 or less does nothing
     * @return the thread's nice value now, empty when it was not changed (0, off Linux, Java 21, or the call failed)
     */
    public static OptionalInt lowerCurrentThread(int by) {
        if (by <= 0) {
            return OptionalInt.empty();
        }
        if (NATIVES == null) {
            return OptionalInt.empty(); // why was logged once at load
        }
        String thread = Thread.currentThread().getName();
        try {
            OptionalInt process = niceOf(Path.of("/proc/self/stat"));
            OptionalInt current = niceOf(Path.of("/proc/thread-self/stat"));
            if (process.isEmpty() || current.isEmpty()) {
                LOG.debug("thread {}: nice not changed, /proc unreadable", thread);
                return OptionalInt.empty();
            }
            int target = Math.min(MAX, process.getAsInt() + by);
            if (current.getAsInt() >= target) {
                return OptionalInt.empty();
            }
            int tid = NATIVES.gettid();
            int rc = NATIVES.setpriority(PRIO_PROCESS, tid, target);
            if (rc != 0) {
                LOG.debug("thread {}: setpriority({}, {}) returned {}, nice left at {}", thread, tid, target, rc,
                        current.getAsInt());
                return OptionalInt.empty();
            }
            LOG.debug("thread {} (tid {}): nice {} -> {}", thread, tid, current.getAsInt(), target);
            return OptionalInt.of(target);
        } catch (Throwable e) { // a native call that misbehaves must not stop the loop that asked
            LOG.debug("thread {}: nice not changed: {}", thread, e.toString());
            return OptionalInt.empty();
        }
    }

    /** The calling thread's nice value ({@code /proc/thread-self/stat}), empty off Linux. */
    public static OptionalInt currentThreadNice() {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    /** Whether this JVM can change a thread's nice value (Linux, Java 22 or newer, libc found). */
    public static boolean available() {
        return NATIVES != null;
    }

    /** Field 19 of a {@code /proc/.../stat} line (after the command name, which may hold spaces). */
    static OptionalInt niceOf(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalInt.of(Integer.parseInt(f[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** libc's {@code gettid} and {@code setpriority} as method handles; null where they cannot be had. */
    private record Natives(MethodHandle gettidCall, MethodHandle setpriorityCall) {
        int gettid() throws Throwable {
            return (int) gettidCall.invoke();
        }

        int setpriority(int which, int who, int prio) throws Throwable {
            return (int) setpriorityCall.invoke(which, who, prio);
        }

        static Natives load() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                LOG.debug("thread priorities: not Linux ({}), background threads keep the calls' priority",
                        System.getProperty("os.name"));
                return null;
            }
            if (Runtime.version().feature() < 22) {
                LOG.debug("thread priorities: Java {} has no final foreign function API, background threads keep the"
                        + " calls' priority", Runtime.version().feature());
                return null;
            }
            try {
                Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
                Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
                Object jint = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
                Object linker = linkerType.getMethod("nativeLinker").invoke(null);
                Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
                var find = lookupType.getMethod("find", String.class);
                var of = descriptorType.getMethod("of", layoutType, layoutType.arrayType());
                var downcall = linkerType.getMethod("downcallHandle", segmentType, descriptorType,
                        optionType.arrayType());
                Object noOptions = Array.newInstance(optionType, 0);

                Optional<?> gettid = (Optional<?>) find.invoke(libc, "gettid");
                Optional<?> setpriority = (Optional<?>) find.invoke(libc, "setpriority");
                if (gettid.isEmpty() || setpriority.isEmpty()) {
                    LOG.debug("thread priorities: libc has no gettid or setpriority, background threads keep the"
                            + " calls' priority");
                    return null;
                }
                Object intOfNothing = of.invoke(null, jint, Array.newInstance(layoutType, 0));
                Object ints = Array.newInstance(layoutType, 3);
                for (int i = 0; i < 3; i++) {
                    Array.set(ints, i, jint);
                }
                Object intOfThreeInts = of.invoke(null, jint, ints);
                return new Natives((MethodHandle) downcall.invoke(linker, gettid.get(), intOfNothing, noOptions),
                        (MethodHandle) downcall.invoke(linker, setpriority.get(), intOfThreeInts, noOptions));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("thread priorities: libc not reachable ({}), background threads keep the calls' priority",
                        e.toString());
                return null;
            }
        }
    }
}
