package dev.ivr.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadNiceTest {
    @TempDir
    Path dir;

    @AfterEach
    void backgroundThreadsAtTheCallsPriorityAgain() {
        BackgroundThreads.lowerBy(0);
        BackgroundThreads.idle(false);
        BackgroundThreads.slice(Duration.ZERO);
    }

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;

    private static void assumeNiceCanBeSet() {
        assumeTrue(ThreadNice.available(), "thread priorities are set on Linux with Java 22 or newer only ("
                + System.getProperty("os.name") + ", Java " + Runtime.version().feature() + ")");
    }

    private static int processNice() {
        return ThreadNice.niceOf(Path.of("/proc/self/stat")).orElseThrow();
    }

    /** Runs {@code body} on a new platform thread (a thread's nice value cannot be raised back without privilege). */
    private static <T> T onANewThread(java.util.function.Supplier<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aThreadLowersItsOwnPriorityAndTheKernelShowsIt() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 5, "the test JVM already runs at nice " + process);
        int[] seen = onANewThread(() -> {
            int before = ThreadNice.currentThreadNice().orElseThrow();
            OptionalInt now = ThreadNice.lowerCurrentThread(5);
            return new int[] {before, now.orElse(-100), ThreadNice.currentThreadNice().orElseThrow()};
        });
        assertThat(seen[0]).isEqualTo(process);
        assertThat(seen[1]).isEqualTo(process + 5);
        assertThat(seen[2]).as("the kernel's nice value of the thread, /proc/thread-self/stat").isEqualTo(process + 5);
        assertThat(processNice()).as("the process and its other threads are untouched").isEqualTo(process);
        assertThat(ThreadNice.currentThreadNice()).hasValue(process);
    }

    @Test
    void aThreadAlreadyLowerStaysWhereItIsAndZeroDoesNothing() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 6, "the test JVM already runs at nice " + process);
        int[] seen = onANewThread(() -> {
            ThreadNice.lowerCurrentThread(6);
            boolean changedByLess = ThreadNice.lowerCurrentThread(2).isPresent(); // would raise it: not allowed, not tried
            boolean changedByZero = ThreadNice.lowerCurrentThread(0).isPresent();
            return new int[] {changedByLess ? 1 : 0, changedByZero ? 1 : 0, ThreadNice.currentThreadNice().orElseThrow()};
        });
        assertThat(seen[0]).isZero();
        assertThat(seen[1]).isZero();
        assertThat(seen[2]).isEqualTo(process + 6);
    }

    @Test
    void aBackgroundThreadRunsItsLoopAtTheLowerPriority() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 3, "the test JVM already runs at nice " + process);
        BackgroundThreads.lowerBy(3);
        AtomicReference<Thread> self = new AtomicReference<>();
        CompletableFuture<Integer> nice = new CompletableFuture<>();
        Thread t = BackgroundThreads.start("nice-test-loop", () -> {
            self.set(Thread.currentThread());
            nice.complete(ThreadNice.currentThreadNice().orElse(-100));
        });
        assertThat(nice.get(30, TimeUnit.SECONDS)).isEqualTo(process + 3);
        t.join();
        assertThat(self.get()).isSameAs(t);
        assertThat(t.isVirtual()).isFalse();
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).isEqualTo("nice-test-loop");
    }

    @Test
    void offTheBackgroundThreadsKeepTheCallsPriority() throws Exception {
        assumeNiceCanBeSet();
        int process = processNice();
        CompletableFuture<Integer> nice = new CompletableFuture<>();
        BackgroundThreads.factory("nice-test-off").newThread(
                () -> nice.complete(ThreadNice.currentThreadNice().orElse(-100))).start();
        assertThat(nice.get(30, TimeUnit.SECONDS)).isEqualTo(process);
    }

    @Test
    void aThreadMovesItselfToTheIdlePolicyAndTheThreadsItStartsInheritIt() throws Exception {
        assumeNiceCanBeSet();
        int[] seen = onANewThread(() -> {
            int before = ThreadNice.currentThreadPolicy().orElseThrow();
            boolean moved = ThreadNice.idleCurrentThread();
            int after = ThreadNice.currentThreadPolicy().orElseThrow();
            CompletableFuture<Integer> child = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> child.complete(ThreadNice.currentThreadPolicy().orElse(-1)));
            return new int[] {before, moved ? 1 : 0, after, child.join()};
        });
        assertThat(seen[0]).isEqualTo(SCHED_OTHER);
        assertThat(seen[1]).isEqualTo(1);
        assertThat(seen[2]).as("the kernel's policy of the thread, /proc/thread-self/stat").isEqualTo(SCHED_IDLE);
        assertThat(seen[3]).as("a thread it started inherits the policy, as it would a nice value").isEqualTo(SCHED_IDLE);
        assertThat(ThreadNice.currentThreadPolicy()).as("the test's own thread is untouched").hasValue(SCHED_OTHER);
    }

    @Test
    void aBackgroundThreadRunsItsLoopUnderTheIdlePolicyWhenAsked() throws Exception {
        assumeNiceCanBeSet();
        BackgroundThreads.idle(true);
        CompletableFuture<Integer> policy = new CompletableFuture<>();
        Thread t = BackgroundThreads.start("idle-test-loop", () -> policy.complete(ThreadNice.currentThreadPolicy().orElse(-1)));
        assertThat(policy.get(30, TimeUnit.SECONDS)).isEqualTo(SCHED_IDLE);
        t.join();
        BackgroundThreads.idle(false);
        CompletableFuture<Integer> off = new CompletableFuture<>();
        BackgroundThreads.start("idle-test-off", () -> off.complete(ThreadNice.currentThreadPolicy().orElse(-1))).join();
        assertThat(off.get(30, TimeUnit.SECONDS)).isEqualTo(SCHED_OTHER);
    }

    /** Skips where custom slices cannot be asked for, or the kernel shows none ({@code se.slice}: Linux 6.6+). */
    static void assumeSlicesCanBeSet() {
        assumeTrue(ThreadNice.slicesAvailable(), "custom slices are set on Linux (x86_64, aarch64) with Java 22 or"
                + " newer only (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + Runtime.version().feature() + ")");
        assumeTrue(ThreadNice.sliceOf(Path.of("/proc/thread-self/sched")).isPresent(),
                "this kernel's /proc/thread-self/sched has no se.slice line (before Linux 6.6, no EEVDF)");
        String[] v = System.getProperty("os.version", "0.0").split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        assumeTrue(major > 6 || (major == 6 && minor >= 12), "Linux " + System.getProperty("os.version")
                + " takes no custom slice for ordinary threads (6.12 or newer does)");
    }

    @Test
    void aThreadGivesItselfALongSliceAndKeepsItsNiceValue() throws Exception {
        assumeNiceCanBeSet();
        assumeSlicesCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 4, "the test JVM already runs at nice " + process);
        long[] seen = onANewThread(() -> {
            long before = ThreadNice.sliceOf(Path.of("/proc/thread-self/sched")).orElseThrow();
            ThreadNice.lowerCurrentThread(4);
            boolean set = ThreadNice.sliceCurrentThread(Duration.ofMillis(37));
            return new long[] {before, set ? 1 : 0, ThreadNice.sliceOf(Path.of("/proc/thread-self/sched")).orElseThrow(),
                ThreadNice.currentThreadNice().orElseThrow(), ThreadNice.currentThreadPolicy().orElseThrow()};
        });
        assertThat(seen[1]).as("sched_setattr succeeded").isEqualTo(1);
        assertThat(seen[0]).as("the kernel's default slice").isNotEqualTo(37_000_000);
        assertThat(seen[2]).as("se.slice in /proc/thread-self/sched after the call (ns)").isEqualTo(37_000_000);
        assertThat(seen[3]).as("the nice value set before is kept").isEqualTo(process + 4);
        assertThat(seen[4]).isEqualTo(SCHED_OTHER);
        assertThat(ThreadNice.sliceOf(Path.of("/proc/thread-self/sched"))).as("the test's own thread is untouched")
                .hasValue(seen[0]);
    }

    @Test
    void aBackgroundThreadRunsItsLoopWithTheSliceWhenAskedAndIdleWinsOverIt() throws Exception {
        assumeNiceCanBeSet();
        assumeSlicesCanBeSet();
        int process = processNice();
        assumeTrue(process <= ThreadNice.MAX - 2, "the test JVM already runs at nice " + process);
        BackgroundThreads.lowerBy(2);
        BackgroundThreads.slice(Duration.ofMillis(50));
        CompletableFuture<long[]> seen = new CompletableFuture<>();
        BackgroundThreads.start("slice-test-loop", () -> seen.complete(new long[] {
            ThreadNice.sliceOf(Path.of("/proc/thread-self/sched")).orElse(-1),
            ThreadNice.currentThreadNice().orElse(-100)})).join();
        assertThat(seen.get(30, TimeUnit.SECONDS)).containsExactly(50_000_000, process + 2);

        BackgroundThreads.idle(true);
        CompletableFuture<Integer> policy = new CompletableFuture<>();
        BackgroundThreads.start("slice-test-idle", () -> policy.complete(ThreadNice.currentThreadPolicy().orElse(-1)))
                .join();
        assertThat(policy.get(30, TimeUnit.SECONDS)).as("SCHED_IDLE is kept, not replaced by the slice's policy")
                .isEqualTo(SCHED_IDLE);
    }

    @Test
    void theSliceIsReadFromTheSchedFile() throws Exception {
        Path sched = dir.resolve("sched");
        Files.writeString(sched, "java (4242, #threads: 1)\n---\nse.exec_start    :    1.5\n"
                + "se.slice                                     :             50000000\nnr_switches : 3\n");
        assertThat(ThreadNice.sliceOf(sched)).hasValue(50_000_000);
        Files.writeString(sched, "se.exec_start : 1.5\n");
        assertThat(ThreadNice.sliceOf(sched)).isEmpty();
        assertThat(ThreadNice.sliceOf(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void theNiceValueIsReadPastACommandNameWithSpacesAndParentheses() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 7 30 0 123 456\n");
        assertThat(ThreadNice.niceOf(stat)).hasValue(7);
        assertThat(ThreadNice.niceOf(dir.resolve("missing"))).isEmpty();
    }
}
