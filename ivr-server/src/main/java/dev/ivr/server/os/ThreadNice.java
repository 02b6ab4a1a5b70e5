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
 * priority needs one), or moves it to the {@code SCHED_IDLE} policy ({@link #idleCurrentThread}). Java's thread
 * priorities do nothing on Linux for an unprivileged process.
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

    /**
     * libc's calls, looked up the first time a thread asks for a change (not when this class loads): a server that
     * lowers no thread never touches the foreign linker, so a JVM started without {@code --enable-native-access}
     * (an embedding application, a test's child JVM) prints no restricted-method warning for nothing.
     */
    private static final class Lazy {
        static final Natives NATIVES = Natives.load();
    }

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
        if (Lazy.NATIVES == null) {
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
            int tid = Lazy.NATIVES.gettid();
            int rc = Lazy.NATIVES.setpriority(PRIO_PROCESS, tid, target);
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

    /**
     * Moves the calling thread to Linux's {@code SCHED_IDLE} policy ({@code sched_setscheduler(0, SCHED_IDLE, {0})},
     * no privilege needed to lower one's own policy): it then runs only on CPU time that no other thread of the
     * machine wants, and the kernel preempts it the moment any ordinary thread on its CPU wakes, instead of letting
     * it finish its time slice (up to a scheduler tick, 4 ms at 250 Hz). Threads it starts inherit the policy (the
     * kernel's reset-on-fork flag resets only real-time policies and negative nice values), as they inherit a nice
     * value: a thread the calls depend on must not be started by such a thread.
     *
     * @return whether the thread now runs under {@code SCHED_IDLE} (false off Linux, on Java 21, or when the call failed)
     */
    public static boolean idleCurrentThread() {
        if (Lazy.NATIVES == null) {
            return false;
        }
        String thread = Thread.currentThread().getName();
        try {
            int rc = Lazy.NATIVES.schedIdle();
            if (rc != 0) {
                LOG.debug("thread {}: sched_setscheduler(SCHED_IDLE) returned {}, policy unchanged", thread, rc);
                return false;
            }
            LOG.debug("thread {}: SCHED_IDLE", thread);
            return true;
        } catch (Throwable e) { // a native call that misbehaves must not stop the loop that asked
            LOG.debug("thread {}: policy not changed: {}", thread, e.toString());
            return false;
        }
    }

    /** The calling thread's scheduling policy, field 41 of {@code /proc/thread-self/stat} (5: SCHED_IDLE), empty off Linux. */
    public static OptionalInt currentThreadPolicy() {
        return statField(Path.of("/proc/thread-self/stat"), 38);
    }

    /** The calling thread's nice value ({@code /proc/thread-self/stat}), empty off Linux. */
    public static OptionalInt currentThreadNice() {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    /** Whether this JVM can change a thread's nice value (Linux, Java 22 or newer, libc found). */
    public static boolean available() {
        return Lazy.NATIVES != null;
    }

    /** Field 19 of a {@code /proc/.../stat} line (after the command name, which may hold spaces). */
    static OptionalInt niceOf(Path stat) {
        return statField(stat, 16);
    }

    /** The given field of a {@code /proc/.../stat} line counted from the state (field 3) as 0. */
    private static OptionalInt statField(Path stat, int index) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalInt.of(Integer.parseInt(f[index]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** Linux's policy for threads that run only when nothing else wants the CPU. */
    private static final int SCHED_IDLE = 5;

    /**
     * libc's {@code gettid}, {@code setpriority} and {@code sched_setscheduler} as method handles (the last with a
     * zeroed {@code struct sched_param} of its own, never freed: 4 bytes); null where they cannot be had.
     */
    private record Natives(MethodHandle gettidCall, MethodHandle setpriorityCall, MethodHandle setschedulerCall,
                           Object zeroParam) {
        int schedIdle() throws Throwable {
            if (setschedulerCall == null) {
                return -1;
            }
            return (int) setschedulerCall.invokeWithArguments(0, SCHED_IDLE, zeroParam);
        }

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
                MethodHandle setscheduler = null;
                Object zeroParam = null;
                Optional<?> setschedulerSymbol = (Optional<?>) find.invoke(libc, "sched_setscheduler");
                if (setschedulerSymbol.isPresent()) {
                    Object address = Class.forName("java.lang.foreign.ValueLayout").getField("ADDRESS").get(null);
                    Object intIntPointer = Array.newInstance(layoutType, 3);
                    Array.set(intIntPointer, 0, jint);
                    Array.set(intIntPointer, 1, jint);
                    Array.set(intIntPointer, 2, address);
                    setscheduler = (MethodHandle) downcall.invoke(linker, setschedulerSymbol.get(),
                            of.invoke(null, jint, intIntPointer), noOptions);
                    Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
                    Object arena = arenaType.getMethod("global").invoke(null);
                    zeroParam = arenaType.getMethod("allocate", long.class).invoke(arena, 4L);
                    segmentType.getMethod("fill", byte.class).invoke(zeroParam, (byte) 0); // sched_priority 0
                }
                return new Natives((MethodHandle) downcall.invoke(linker, gettid.get(), intOfNothing, noOptions),
                        (MethodHandle) downcall.invoke(linker, setpriority.get(), intOfThreeInts, noOptions),
                        setscheduler, zeroParam);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("thread priorities: libc not reachable ({}), background threads keep the calls' priority",
                        e.toString());
                return null;
            }
        }
    }
}
