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
 * Lowers the priority of the JIT's compiler threads ({@code C2 CompilerThre...}, {@code C1 CompilerThre...} in
 * {@code /proc/self/task/}{@literal *}{@code /comm}) by nice steps, by thread id ({@link ThreadNice#lowerThread}), as
 * the background writers lower theirs: at the scheduler's pick a call's thread that wakes while a compilation runs
 * then outweighs the compiler, which keeps a share of a busy CPU (compilation is slowed only while the calls want
 * the CPU). The JVM starts and stops compiler threads as its queue grows and shrinks, so {@link #watch} scans again
 * every few seconds; each scan reads the names of the threads not seen in the scan before only.
 */
public final class CompilerThreads {
    private static final Logger LOG = LoggerFactory.getLogger(CompilerThreads.class);
    /** The JIT's compiler threads' names as the kernel has them (cut to 15 characters). */
    static final List<String> NAMES = List.of("C2 CompilerThre", "C1 CompilerThre");
    /** How often {@link #watch} looks for new compiler threads. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final Path tasks;
    private final int by;
    private Set<Integer> seen = new HashSet<>();

    /** What one scan did: compiler threads lowered, those gone before it could be done, and the calls that failed. */
    record Scan(int lowered, int vanished, int failed) {
    }

    CompilerThreads(Path tasks, int by) {
        this.tasks = tasks;
        this.by = by;
    }

    /**
     * Starts a background thread that lowers this JVM's compiler threads by {@code by} nice steps below the process,
     * now and every {@link #EVERY} after; closing the returned handle stops it. Where nice values cannot be set
     * ({@link ThreadNice#available}) or {@code by} is 0, no thread is started.
     */
    public static AutoCloseable watch(int by) {
        if (by <= 0 || !ThreadNice.available()) {
            LOG.debug("JIT compiler threads: left at the calls' priority (nice steps {}, settable {})", by,
                    ThreadNice.available());
            return () -> { };
        }
        CompilerThreads compilers = new CompilerThreads(Path.of("/proc/self/task"), by);
        Thread t = BackgroundThreads.start("jit-nice", () -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Scan s = compilers.scan();
                    if (s.lowered() > 0 || s.failed() > 0) {
                        LOG.debug("JIT compiler threads: {} lowered by {} nice steps, failed on {}", s.lowered(), by,
                                s.failed());
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

    /** Looks at the threads not seen before and lowers each compiler thread among them. */
    Scan scan() {
        Set<Integer> now = new HashSet<>();
        int lowered = 0;
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
                if (ThreadNice.lowerThread(tid, by, task.resolve("stat"))) {
                    lowered++;
                } else if (Files.exists(task.resolve("stat"))) {
                    failed++;
                } else {
                    vanished++; // ended between the listing and the call: nothing to do
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("JIT compiler threads: {} not readable: {}", tasks, e.toString());
        }
        seen = now;
        return new Scan(lowered, vanished, failed);
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
