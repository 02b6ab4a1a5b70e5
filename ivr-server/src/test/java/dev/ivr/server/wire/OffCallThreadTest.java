package dev.ivr.server.wire;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffCallThreadTest {
    private final OffCallThread off = new OffCallThread();

    @AfterEach
    void close() {
        off.close();
    }

    /** Runs {@code body} on a new virtual thread (a call's) and returns what it returned. */
    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("call-test").start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }).join();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (Exception) e.getCause();
        }
    }

    @Test
    void fromAPlatformThreadTheOperationRunsInPlace() {
        Thread me = Thread.currentThread();
        assertThat(off.call(Thread::currentThread)).isSameAs(me);
        AtomicReference<Thread> sent = new AtomicReference<>();
        off.send(() -> sent.set(Thread.currentThread()));
        assertThat(sent.get()).isSameAs(me);
    }

    @Test
    void fromACallsVirtualThreadTheOperationRunsOnAPlatformThreadWithTheCallsIdInTheLog() throws Exception {
        String[] seen = onVirtualThread(() -> {
            MDC.put("call", "1700000000.42");
            try {
                return off.call(() -> new String[] {Boolean.toString(Thread.currentThread().isVirtual()),
                        Thread.currentThread().getName(), MDC.get("call")});
            } finally {
                MDC.remove("call");
            }
        });
        assertThat(seen[0]).isEqualTo("false");
        assertThat(seen[1]).startsWith("ivr-cluster-op-");
        assertThat(seen[2]).isEqualTo("1700000000.42");
    }

    @Test
    void whatTheOperationThrowsIsThrownOnTheCallsThread() {
        IllegalStateException thrown = new IllegalStateException("cluster gone");
        assertThatThrownBy(() -> onVirtualThread(() -> off.call(() -> {
            throw thrown;
        }))).isSameAs(thrown);
        AssertionError error = new AssertionError("bug");
        assertThatThrownBy(() -> onVirtualThread(() -> {
            off.run(() -> {
                throw error;
            });
            return null;
        })).isSameAs(error);
    }

    @Test
    void anInterruptOfTheWaitingCallIsKeptAndTheOperationStillCompletes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread call = Thread.ofVirtual().start(() -> {
            String r = off.call(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "done";
            });
            result.complete(r + ", interrupted " + Thread.currentThread().isInterrupted());
        });
        running.await();
        call.interrupt();
        release.countDown();
        call.join();
        assertThat(result.get()).isEqualTo("done, interrupted true");
    }

    @Test
    void sentFromACallsThreadTheOperationRunsOffItWithoutWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> ran = new CompletableFuture<>();
        onVirtualThread(() -> {
            MDC.put("call", "1700000000.43");
            try {
                off.send(() -> {
                    try {
                        release.await(); // the call's thread does not wait for this
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.complete(Thread.currentThread().isVirtual() + " " + MDC.get("call"));
                });
            } finally {
                MDC.remove("call");
            }
            return null;
        });
        release.countDown();
        assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("false 1700000000.43");
    }

    @Test
    void whenEveryThreadIsBusyTheOperationRunsOnAShortLivedThreadOfItsOwnNotTheCalls() throws Exception {
        CountDownLatch busy = new CountDownLatch(OffCallThread.MAX_THREADS);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < OffCallThread.MAX_THREADS; i++) {
                onVirtualThread(() -> {
                    off.send(() -> {
                        busy.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    return null;
                });
            }
            busy.await(); // the pool's threads (and perhaps overflow threads) all wait
            String[] seen = onVirtualThread(() -> {
                Thread call = Thread.currentThread();
                MDC.put("call", "1700000000.44");
                try {
                    return off.call(() -> new String[] {Boolean.toString(Thread.currentThread() == call),
                            MDC.get("call")});
                } finally {
                    MDC.remove("call");
                }
            });
            assertThat(seen[0]).as("ran on the call's own thread").isEqualTo("false");
            assertThat(seen[1]).isEqualTo("1700000000.44");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeEndsItsThreads() throws Exception {
        Thread worker = onVirtualThread(() -> off.call(Thread::currentThread));
        assertThat(worker.getName()).startsWith("ivr-cluster-op-");
        off.close();
        assertThat(worker.join(java.time.Duration.ofSeconds(30))).as("the thread ended").isTrue();
    }

    @Test
    void afterCloseAnOperationStillRunsOffTheCallsThreadOnAThreadOfItsOwn() throws Exception {
        off.close();
        String[] seen = onVirtualThread(() -> {
            Thread call = Thread.currentThread();
            return off.call(() -> new String[] {Boolean.toString(Thread.currentThread() == call),
                    Thread.currentThread().getName()});
        });
        assertThat(seen[0]).as("ran on the call's own thread").isEqualTo("false");
        assertThat(seen[1]).isEqualTo("ivr-cluster-op-overflow");
    }
}
