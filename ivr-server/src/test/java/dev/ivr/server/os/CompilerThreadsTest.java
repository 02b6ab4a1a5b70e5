package dev.ivr.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerThreadsTest {
    @TempDir
    Path dir;

    private final CountDownLatch done = new CountDownLatch(1);

    @AfterEach
    void endTheThreads() {
        done.countDown();
    }

    private static void assumeNiceCanBeSet() {
        assumeTrue(ThreadNice.available(), "thread priorities are set on Linux with Java 22 or newer only ("
                + System.getProperty("os.name") + ", Java " + Runtime.version().feature() + ")");
    }

    private static int processNice() {
        return ThreadNice.niceOf(Path.of("/proc/self/stat")).orElseThrow();
    }

    /** Starts a platform thread that waits until the test ends; returns its Linux thread id. */
    private int aWaitingThread() throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                // /proc/thread-self links to "PID/task/TID"
                tid.complete(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                done.await();
            } catch (Exception e) {
                tid.completeExceptionally(e);
            }
        });
        return tid.get(30, TimeUnit.SECONDS);
    }

    /** A task directory in {@code dir} for the real thread {@code tid} under the name {@code comm}. */
    private void task(int tid, String comm) throws IOException {
        Path task = Files.createDirectories(dir.resolve(Integer.toString(tid)));
        Files.writeString(task.resolve("comm"), comm + "\n");
        Files.createSymbolicLink(task.resolve("stat"), Path.of("/proc/self/task/" + tid + "/stat"));
    }

    private static int niceOf(int tid) {
        return ThreadNice.niceOf(Path.of("/proc/self/task/" + tid + "/stat")).orElseThrow();
    }

    @Test
    void lowersTheCompilerThreadsByTheirIdsOnceAndNoOtherThread() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 4, "the test JVM already runs at nice " + process);
        int c2 = aWaitingThread();
        int c1 = aWaitingThread();
        int writer = aWaitingThread();
        task(c2, "C2 CompilerThre");
        task(c1, "C1 CompilerThre");
        task(writer, "journal-outbox");
        CompilerThreads compilers = new CompilerThreads(dir, 4);

        assertThat(compilers.scan()).isEqualTo(new CompilerThreads.Scan(2, 0, 0));

        assertThat(niceOf(c2)).as("C2, /proc/self/task/%d/stat", c2).isEqualTo(process + 4);
        assertThat(niceOf(c1)).as("C1").isEqualTo(process + 4);
        assertThat(niceOf(writer)).as("a thread of another name is untouched").isEqualTo(process);
        assertThat(processNice()).as("the process").isEqualTo(process);
        assertThat(compilers.scan()).as("threads seen in the scan before are not looked at again")
                .isEqualTo(new CompilerThreads.Scan(0, 0, 0));
    }

    @Test
    void findsThisJvmsOwnCompilerThreads() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        assumeTrue(process < ThreadNice.MAX, "the test JVM already runs at nice " + process);
        List<Path> compilers;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            compilers = tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("C2 CompilerThre");
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
        assumeTrue(!compilers.isEmpty(), "this JVM has no C2 compiler thread (-Xint or -XX:TieredStopAtLevel?)");

        CompilerThreads.Scan scan = new CompilerThreads(Path.of("/proc/self/task"), 1).scan();

        assertThat(scan.failed()).isZero();
        assertThat(scan.lowered() + scan.vanished()).as("C1 and C2 threads found").isGreaterThanOrEqualTo(compilers.size());
        for (Path t : compilers) {
            ThreadNice.niceOf(t.resolve("stat")).ifPresent(nice -> assertThat(nice).as(t + "/stat").isEqualTo(process + 1));
        }
    }

    @Test
    void aCompilerThreadGoneBeforeItsCallIsNotAnError() throws Exception {
        Path task = Files.createDirectories(dir.resolve("2147483000"));
        Files.writeString(task.resolve("comm"), "C2 CompilerThre\n"); // listed, then gone: no stat any more
        Files.createDirectories(dir.resolve("2147483001"));
        Files.writeString(dir.resolve("2147483001").resolve("comm"), "journal-outbox\n");
        Files.createDirectories(dir.resolve("self-not-a-tid"));

        CompilerThreads.Scan scan = new CompilerThreads(dir, 19).scan();

        assertThat(scan).isEqualTo(new CompilerThreads.Scan(0, 1, 0));
    }

    @Test
    void anUnreadableTaskDirectoryIsNoError() {
        assertThat(new CompilerThreads(dir.resolve("missing"), 19).scan()).isEqualTo(new CompilerThreads.Scan(0, 0, 0));
    }
}
