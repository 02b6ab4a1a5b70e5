package dev.ivr.server.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
}
