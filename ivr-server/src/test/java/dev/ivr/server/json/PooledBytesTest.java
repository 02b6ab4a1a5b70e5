package dev.ivr.server.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PooledBytesTest {

    @Test
    void aBufferComesBackEmptyAndHoldsWhatWasWritten() {
        PooledBytes b = PooledBytes.take();
        b.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOf(b.bytes(), b.size())).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(b.room(10_000)).hasSizeGreaterThanOrEqualTo(10_000);
        b.giveBack();
        for (int i = 0; i < PooledBytes.POOLED + 1; i++) {
            PooledBytes again = PooledBytes.take();
            assertThat(again.size()).isZero();
            again.giveBack();
        }
    }

    @Test
    void aBufferThatGrewPastTheLimitIsNotKept() {
        PooledBytes big = PooledBytes.take();
        big.writeBytes(new byte[PooledBytes.MAX_KEPT + 1]);
        big.giveBack();
        PooledBytes roomy = PooledBytes.take();
        roomy.room(PooledBytes.MAX_KEPT + 1);
        roomy.giveBack();
        List<PooledBytes> taken = new ArrayList<>();
        for (int i = 0; i < PooledBytes.POOLED + 1; i++) {
            taken.add(PooledBytes.take());
        }
        assertThat(taken).doesNotContain(big, roomy);
        taken.forEach(PooledBytes::giveBack);
    }

    @Test
    void asciiIsWrittenByteForByteAndAnythingElseIsLeftToTheCaller() {
        PooledBytes b = PooledBytes.take();
        try {
            assertThat(b.writeAscii("GET DATA enter-digits 5000 4")).isTrue();
            b.write('\n');
            assertThat(new String(b.bytes(), 0, b.size(), StandardCharsets.US_ASCII))
                    .isEqualTo("GET DATA enter-digits 5000 4\n");

            int before = b.size();
            assertThat(b.writeAscii("SET VARIABLE name \"Ren\u00e9e\"")).isFalse();
            assertThat(b.size()).as("nothing written").isEqualTo(before);

            String longer = "x".repeat(10_000); // past the buffer's 4 KiB: it grows
            assertThat(b.writeAscii(longer)).isTrue();
            assertThat(b.size()).isEqualTo(before + 10_000);
            assertThat(new String(b.bytes(), before, 10_000, StandardCharsets.US_ASCII)).isEqualTo(longer);
        } finally {
            b.giveBack();
        }
    }

    @Test
    void aBufferIsNeverHeldByTwoThreadsAtOnce() throws Exception {
        Set<PooledBytes> held = ConcurrentHashMap.newKeySet();
        AtomicInteger twice = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    PooledBytes a = PooledBytes.take();
                    PooledBytes b = i % 3 == 0 ? PooledBytes.take() : null; // more than one at a time, at times
                    for (PooledBytes x : b == null ? List.of(a) : List.of(a, b)) {
                        if (!held.add(x) || x.size() != 0) {
                            twice.incrementAndGet();
                        }
                        x.write(id);
                    }
                    for (PooledBytes x : b == null ? List.of(a) : List.of(b, a)) {
                        held.remove(x);
                        x.giveBack();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(twice).as("buffers handed to a second holder, or handed out not empty").hasValue(0);
    }
}
