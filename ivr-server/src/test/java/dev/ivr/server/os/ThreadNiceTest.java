package dev.ivr.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void theNiceValueIsReadPastACommandNameWithSpacesAndParentheses() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 7 30 0 123 456\n");
        assertThat(ThreadNice.niceOf(stat)).hasValue(7);
        assertThat(ThreadNice.niceOf(dir.resolve("missing"))).isEmpty();
    }
}
