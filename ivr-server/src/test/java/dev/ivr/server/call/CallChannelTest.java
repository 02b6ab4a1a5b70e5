package dev.ivr.server.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GET DATA's limits, in the one place the AGI channel and the flow engine read them. */
class CallChannelTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void oneTo1023KeysWithAPositiveTimeout() {
        assertThat(CallChannel.readsDigits(1, SECOND)).isTrue();
        assertThat(CallChannel.readsDigits(CallChannel.MAX_DIGITS, Duration.ofMillis(1))).isTrue();
        assertThat(CallChannel.MAX_DIGITS).isEqualTo(1023);
    }

    @Test
    void noKeysTooManyKeysOrNoTimeoutAreRefused() {
        assertThat(CallChannel.readsDigits(0, SECOND)).as("0: GET DATA's failure").isFalse();
        assertThat(CallChannel.readsDigits(-1, SECOND)).isFalse();
        assertThat(CallChannel.readsDigits(1024, SECOND)).as("1024: GET DATA's own default").isFalse();
        assertThat(CallChannel.readsDigits(4, Duration.ZERO)).as("0 ms: GET DATA's own timeouts").isFalse();
        assertThat(CallChannel.readsDigits(4, Duration.ofNanos(999_999))).as("under a millisecond is 0 ms").isFalse();
        assertThat(CallChannel.readsDigits(4, Duration.ofSeconds(-1))).isFalse();
    }
}
