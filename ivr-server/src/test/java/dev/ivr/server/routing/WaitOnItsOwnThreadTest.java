package dev.ivr.server.routing;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue wait's hand-off to a shallow thread of its own ({@link QueueWait#onAThreadOfItsOwn}). */
class WaitOnItsOwnThreadTest {
    @Test
    void theBodyRunsOnAnotherThreadWithTheCallersLogContext() {
        MDC.put("call", "c-1");
        try {
            Thread caller = Thread.currentThread();
            AtomicReference<Thread> ran = new AtomicReference<>();
            String r = QueueWait.onAThreadOfItsOwn("w", () -> {
                ran.set(Thread.currentThread());
                return MDC.get("call");
            });
            assertThat(r).isEqualTo("c-1");
            assertThat(ran.get()).isNotSameAs(caller);
            assertThat(ran.get().getName()).isEqualTo("w");
            assertThat(MDC.get("call")).isEqualTo("c-1");
        } finally {
            MDC.remove("call");
        }
    }

    @Test
    void whatTheBodyThrowsIsThrownToTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> QueueWait.onAThreadOfItsOwn("w", () -> {
            throw boom;
        })).isSameAs(boom);
        StackOverflowError error = new StackOverflowError();
        assertThatThrownBy(() -> QueueWait.onAThreadOfItsOwn("w", () -> {
            throw error;
        })).isSameAs(error);
    }

    @Test
    void anInterruptOfTheCallerEndsTheBodyAndIsKept() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            result.set(QueueWait.onAThreadOfItsOwn("w", () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await(); // until interrupted
                    return "never";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            }));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        caller.interrupt();
        caller.join();
        assertThat(result.get()).isEqualTo("interrupted");
        assertThat(stillInterrupted.get()).isTrue();
    }
}
