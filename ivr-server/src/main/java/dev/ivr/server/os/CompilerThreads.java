package dev.ivr.server.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the JIT's compiler threads ({@code C2 CompilerThre...}, {@code C1 CompilerThre...} in {@code
 * /proc/self/task/}{@literal *}{@code /comm}) a long EEVDF time slice ({@link ThreadNice#sliceThread}), so that a
 * call's thread woken while a compilation runs takes the CPU at once instead of waiting out the compiler's slice
 * protection; the compilers keep their share of the CPU (the warm-up is not slowed the way {@code SCHED_IDLE} would
 * slow it). The JVM starts and stops compiler threads as its queue grows and shrinks, so {@link #watch} scans again
 * every few seconds; each scan reads the names of the threads not seen in the scan before only.
 */
public final class CompilerThreads {
    private static final Logger LOG = LoggerFactory.getLogger(CompilerThreads.class);
    /** The JIT's compiler threads' names as the kernel has them (cut to 15 characters). */
    static final List<String> NAMES = List.of("C2 CompilerThre", "C1 CompilerThre");
    /** How often {@link #watch} looks for new compiler threads. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final Path tasks;
    private final Duration slice;
    private Set<Integer> seen = new HashSet<>();

    /** What one scan did: compiler threads given the slice, and those gone before it could be set. */
    record Scan(int set, int vanished, int failed) {
    }

    CompilerThreads(Path tasks, Duration slice) {
        this.tasks = tasks;
        this.slice = slice;
    }

    /**
     * Starts a background thread that gives this JVM's compiler threads {@code slice}, now and every {@link #EVERY}
     * after; closing the returned handle stops it. Where slices cannot be set (see {@link ThreadNice#slicesAvailable})
     * no thread is started.
     */
    public static AutoCloseable watch(Duration slice) {
        if (!ThreadNice.slicesAvailable()) {
            LOG.debug("JIT compiler threads: no custom slices here, left as they are");
            return () -> { };
        }
        CompilerThreads compilers = new CompilerThreads(Path.of("/proc/self/task"), slice);
        Thread t = BackgroundThreads.start("jit-slice", () -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Scan s = compilers.scan();
                    if (s.set() > 0 || s.failed() > 0) {
                        LOG.debug("JIT compiler threads: slice {} ms set on {}, failed on {}", slice.toMillis(),
                                s.set(), s.failed());
                    }
                    Thread.sleep(EVERY);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return () -> {
            t.interrupt();
            t.join(5_000);
        };
    }

    /** Looks at the threads not seen before and gives each compiler thread among them the slice. */
    Scan scan() {
        Set<Integer> now = new HashSet<>();
        int set = 0;
        int vanished = 0;
        int failed = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                now.add(tid);
                if (seen.contains(tid) || !isCompiler(task)) {
                    continue;
                }
                try {
                    if (ThreadNice.sliceThread(tid, slice, task.resolve("stat"))) {
                        set++;
                    } else if (Files.exists(task.resolve("stat"))) {
                        failed++;
                    } else {
                        vanished++; // ended between the listing and the call: nothing to do
                    }
                } catch (Throwable e) { // a native call that misbehaves must not stop the scans
                    LOG.debug("JIT compiler thread {}: slice not set: {}", tid, e.toString());
                    failed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("JIT compiler threads: {} not readable: {}", tasks, e.toString());
        }
        seen = now;
        return new Scan(set, vanished, failed);
    }

    private static boolean isCompiler(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm")).strip();
            return NAMES.stream().anyMatch(comm::startsWith);
        } catch (IOException | RuntimeException e) {
            return false; // gone
        }
    }
}
