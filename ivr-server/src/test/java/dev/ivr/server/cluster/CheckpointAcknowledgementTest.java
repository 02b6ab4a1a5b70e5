package dev.ivr.server.cluster;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HazelcastCheckpoints#acknowledged}: what is chained to a write's acknowledgement runs on the thread that
 * completes the library's future, without a stage of the library's own (Hazelcast's {@code whenComplete} variants
 * each hand a task to the common pool), and a failure still reaches it.
 */
class CheckpointAcknowledgementTest {

    /** A future like Hazelcast's: its own stages are not to be used (each would be a task on another thread). */
    static final class LibraryFuture<T> extends CompletableFuture<T> {
        @Override
        public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
            throw new AssertionError("a stage of the library's own");
        }

        @Override
        public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
            throw new AssertionError("a stage of the library's own");
        }

        @Override
        public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
            throw new AssertionError("a stage of the library's own");
        }
    }

    @Test
    void theCallbackRunsOnTheThreadThatCompletesTheLibrarysFuture() throws InterruptedException {
        LibraryFuture<Void> written = new LibraryFuture<>();
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        HazelcastCheckpoints.acknowledged((CompletionStage<Void>) written).whenComplete((ok, e) -> {
            ranOn.set(Thread.currentThread().getName());
            failure.set(e);
        });
        assertThat(ranOn.get()).as("not before the write is acknowledged").isNull();

        Thread completer = Thread.ofPlatform().name("completes-the-write").start(() -> written.complete(null));
        completer.join();

        assertThat(ranOn.get()).isEqualTo("completes-the-write");
        assertThat(failure.get()).isNull();
    }

    @Test
    void aFailedWriteReachesTheCallbackWithItsCause() {
        LibraryFuture<Boolean> deleted = new LibraryFuture<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        HazelcastCheckpoints.acknowledged((CompletionStage<Boolean>) deleted).whenComplete((ok, e) -> failure.set(e));

        deleted.completeExceptionally(new IllegalStateException("member left"));

        assertThat(failure.get()).isNotNull();
        assertThat(HazelcastCheckpoints.cause(failure.get())).isEqualTo("java.lang.IllegalStateException: member left");
    }

    @Test
    void anAlreadyAcknowledgedWriteRunsTheCallbackAtOnce() {
        LibraryFuture<Void> written = new LibraryFuture<>();
        written.complete(null);
        AtomicReference<String> ranOn = new AtomicReference<>();

        HazelcastCheckpoints.acknowledged((CompletionStage<Void>) written).whenComplete((ok, e) -> ranOn.set(Thread.currentThread().getName()));

        assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
    }
}
