package dev.ivr.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerThreadsTest {
    @TempDir
    Path dir;

    private static final Path TASKS = Path.of("/proc/self/task");

    /** This JVM's JIT compiler threads now (their directories under /proc/self/task). */
    private static List<Path> compilers() throws IOException {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return tasks.filter(t -> {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    return comm.startsWith("C2 CompilerThre") || comm.startsWith("C1 CompilerThre");
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    @Test
    void findsThisJvmsCompilerThreadsAndGivesThemTheSliceOnce() throws Throwable {
        ThreadNiceTest.assumeSlicesCanBeSet();
        List<Path> before = compilers();
        assumeTrue(!before.isEmpty(), "this JVM has no JIT compiler threads (-Xint?)");
        long ownSlice = ThreadNice.sliceOf(Path.of("/proc/thread-self/sched")).orElseThrow();

        CompilerThreads scanner = new CompilerThreads(TASKS, Duration.ofMillis(43));
        CompilerThreads.Scan first = scanner.scan();

        assertThat(first.set()).as("compiler threads given the slice").isGreaterThanOrEqualTo(before.size() - first.vanished());
        assertThat(first.failed()).isZero();
        for (Path t : compilers()) {
            if (before.contains(t)) {
                assertThat(ThreadNice.sliceOf(t.resolve("sched"))).as(t + "/sched").hasValue(43_000_000);
            }
        }
        assertThat(ThreadNice.sliceOf(Path.of("/proc/thread-self/sched"))).as("other threads are untouched")
                .hasValue(ownSlice);
        Path one = before.getFirst();
        int tid = Integer.parseInt(one.getFileName().toString());
        if (ThreadNice.sliceThread(tid, Duration.ofMillis(7), one.resolve("stat"))) { // still there: changed by hand
            scanner.scan();
            assertThat(ThreadNice.sliceOf(one.resolve("sched"))).as("a thread seen in the scan before is not set again")
                    .hasValue(7_000_000);
            ThreadNice.sliceThread(tid, Duration.ofMillis(43), one.resolve("stat"));
        }
    }

    @Test
    void aCompilerThreadGoneBeforeItsSliceIsNotAnError() throws Exception {
        Path task = Files.createDirectories(dir.resolve("2147483000"));
        Files.writeString(task.resolve("comm"), "C2 CompilerThre\n"); // listed, then gone: no stat any more
        Files.createDirectories(dir.resolve("2147483001"));
        Files.writeString(dir.resolve("2147483001").resolve("comm"), "journal-outbox\n");
        Files.createDirectories(dir.resolve("self-not-a-tid"));

        CompilerThreads.Scan scan = new CompilerThreads(dir, Duration.ofMillis(50)).scan();

        assertThat(scan.set()).isZero();
        assertThat(scan.failed()).isZero();
        assertThat(scan.vanished()).as("the compiler thread whose stat was gone").isEqualTo(1);
    }

    @Test
    void anUnreadableTaskDirectoryIsNoError() {
        CompilerThreads.Scan scan = new CompilerThreads(dir.resolve("missing"), Duration.ofMillis(50)).scan();
        assertThat(scan).isEqualTo(new CompilerThreads.Scan(0, 0, 0));
    }
}
