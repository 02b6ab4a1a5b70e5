package dev.ivr.server.os;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling priority on Linux: raises its nice value with {@code
 * setpriority(PRIO_PROCESS, gettid(), nice)}, which any thread may do to itself without privilege (only raising a
 * priority needs one), moves it to the {@code SCHED_IDLE} policy ({@link #idleCurrentThread}), or gives it (or
 * another thread of the process, such as the JIT's compilers) a long EEVDF time slice ({@link #sliceThread}) so that
 * a call's thread that wakes takes the CPU from it at once. Java's thread priorities do nothing on Linux for an
 * unprivileged process.
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
        if (NATIVES == null) {
            return false;
        }
        String thread = Thread.currentThread().getName();
        try {
            int rc = NATIVES.schedIdle();
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

    /** The longest and shortest custom time slices Linux accepts (it clamps to these). */
    public static final Duration MAX_SLICE = Duration.ofMillis(100);
    public static final Duration MIN_SLICE = Duration.ofNanos(100_000);

    /**
     * Gives the calling thread a custom EEVDF time slice ({@link #sliceThread}), keeping its nice value.
     *
     * @return whether the slice is set (false off Linux 6.12+ x86_64/aarch64, on Java 21, or when the call failed)
     */
    public static boolean sliceCurrentThread(Duration slice) {
        if (NATIVES == null || NATIVES.setattrCall() == null) {
            return false;
        }
        try {
            return sliceThread(NATIVES.gettid(), slice, Path.of("/proc/thread-self/stat"));
        } catch (Throwable e) { // a native call that misbehaves must not stop the loop that asked
            LOG.debug("thread {}: slice not set: {}", Thread.currentThread().getName(), e.toString());
            return false;
        }
    }

    /**
     * Gives thread {@code tid} of this process a custom time slice under Linux's EEVDF scheduler (6.12 or newer):
     * {@code sched_setattr(tid, {SCHED_OTHER, nice, sched_runtime = slice}, 0)}, the thread's nice value passed as it
     * is (read from {@code stat}), no privilege needed for threads of the same user. With a slice longer than the
     * calls' threads' (the default, {@code se.slice} 1.4 ms on a 2-CPU machine), the kernel's {@code PREEMPT_SHORT}
     * lets a call's thread that wakes on its CPU take it at once instead of waiting out the running thread's slice
     * protection, while the thread keeps its weight (its fair share of a busy CPU). Kernels before 6.12 accept the
     * call and ignore the slice; the thread then runs as before.
     *
     * @param stat the thread's {@code /proc/.../stat} file (its nice value is kept)
     * @return whether the call succeeded (false when the thread is gone, or where it cannot be made)
     */
    static boolean sliceThread(int tid, Duration slice, Path stat) throws Throwable {
        if (NATIVES == null || NATIVES.setattrCall() == null) {
            return false;
        }
        OptionalInt nice = niceOf(stat);
        if (nice.isEmpty()) {
            return false; // the thread is gone, or /proc unreadable
        }
        long rc = NATIVES.setattr(tid, nice.getAsInt(), slice.toNanos());
        if (rc != 0) {
            LOG.debug("thread {}: sched_setattr(slice {} ns, nice {}) returned {}, slice unchanged", tid,
                    slice.toNanos(), nice.getAsInt(), rc);
            return false;
        }
        LOG.debug("thread {}: slice {} ns (nice {})", tid, slice.toNanos(), nice.getAsInt());
        return true;
    }

    /** Whether custom slices can be asked for here (Linux on x86_64 or aarch64, Java 22 or newer). */
    public static boolean slicesAvailable() {
        return NATIVES != null && NATIVES.setattrCall() != null;
    }

    /** The {@code se.slice} line of a {@code /proc/.../sched} file in nanoseconds; empty where it has none. */
    static OptionalLong sliceOf(Path sched) {
        try {
            for (String line : Files.readAllLines(sched)) {
                if (line.startsWith("se.slice")) {
                    return OptionalLong.of(Long.parseLong(line.substring(line.indexOf(':') + 1).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or unreadable: empty
        }
        return OptionalLong.empty();
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
        return NATIVES != null;
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
     * zeroed {@code struct sched_param} of its own, never freed: 4 bytes), and {@code syscall} for {@code
     * sched_setattr} (glibc has no wrapper before 2.41; null on other architectures than x86_64 and aarch64); null
     * where they cannot be had.
     */
    private record Natives(MethodHandle gettidCall, MethodHandle setpriorityCall, MethodHandle setschedulerCall,
                           Object zeroParam, MethodHandle setattrCall, long setattrNumber, Memory memory) {
        /** {@code syscall(SYS_sched_setattr, tid, &attr, 0)} with a {@code struct sched_attr} of 56 bytes. */
        long setattr(int tid, int nice, long runtimeNanos) throws Throwable {
            ByteBuffer attr = ByteBuffer.allocate(56).order(ByteOrder.nativeOrder());
            attr.putInt(0, 56);              // size
            attr.putInt(4, 0);               // policy: SCHED_OTHER
            attr.putLong(8, 0);              // flags
            attr.putInt(16, nice);           // nice (kept)
            attr.putInt(20, 0);              // priority
            attr.putLong(24, runtimeNanos);  // runtime: the fair class's custom slice (util_min/max 0: unused)
            return memory.withNative(attr.array(),
                    address -> (long) setattrCall.invokeWithArguments(setattrNumber, (long) tid, address, 0L));
        }

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
                MethodHandle setattr = null;
                long setattrNumber = setattrSyscall();
                Memory memory = null;
                Optional<?> syscall = (Optional<?>) find.invoke(libc, "syscall");
                if (setattrNumber > 0 && syscall.isPresent()) {
                    Object jlong = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_LONG").get(null);
                    Object address = Class.forName("java.lang.foreign.ValueLayout").getField("ADDRESS").get(null);
                    Object args = Array.newInstance(layoutType, 4);
                    Array.set(args, 0, jlong);
                    Array.set(args, 1, jlong);
                    Array.set(args, 2, address);
                    Array.set(args, 3, jlong);
                    Object variadic = Array.newInstance(optionType, 1); // syscall(long number, ...)
                    Array.set(variadic, 0, optionType.getMethod("firstVariadicArg", int.class).invoke(null, 1));
                    setattr = (MethodHandle) downcall.invoke(linker, syscall.get(), of.invoke(null, jlong, args),
                            variadic);
                    memory = Memory.load();
                }
                return new Natives((MethodHandle) downcall.invoke(linker, gettid.get(), intOfNothing, noOptions),
                        (MethodHandle) downcall.invoke(linker, setpriority.get(), intOfThreeInts, noOptions),
                        setscheduler, zeroParam, setattr, setattrNumber, memory);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("thread priorities: libc not reachable ({}), background threads keep the calls' priority",
                        e.toString());
                return null;
            }
        }

        /** {@code SYS_sched_setattr} of this architecture; 0 where it is not known here (no slices then). */
        private static long setattrSyscall() {
            return switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64" -> 314;
                case "aarch64" -> 274;
                default -> 0;
            };
        }
    }

    /** A native copy of a small byte array for the length of one call (a confined arena, freed after it). */
    private record Memory(java.lang.reflect.Method ofConfined, java.lang.reflect.Method allocate,
                          java.lang.reflect.Method ofArray, java.lang.reflect.Method copyFrom) {
        interface Call {
            long with(Object address) throws Throwable;
        }

        long withNative(byte[] bytes, Call call) throws Throwable {
            try (AutoCloseable arena = (AutoCloseable) ofConfined.invoke(null)) {
                Object segment = allocate.invoke(arena, (long) bytes.length);
                copyFrom.invoke(segment, ofArray.invoke(null, (Object) bytes));
                return call.with(segment);
            }
        }

        static Memory load() throws ReflectiveOperationException {
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            return new Memory(arenaType.getMethod("ofConfined"), arenaType.getMethod("allocate", long.class),
                    segmentType.getMethod("ofArray", byte[].class), segmentType.getMethod("copyFrom", segmentType));
        }
    }
}
