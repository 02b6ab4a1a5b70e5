package dev.ivr.server.recording;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingPolicyTest {

    @Test
    void parsesTheFourKinds() {
        assertThat(RecordingPolicy.parse("always").kind()).isEqualTo(RecordingPolicy.Kind.ALWAYS);
        assertThat(RecordingPolicy.parse(" Never ").kind()).isEqualTo(RecordingPolicy.Kind.NEVER);
        assertThat(RecordingPolicy.parse("on-demand").onDemand()).isTrue();
        assertThat(RecordingPolicy.parse("25%")).isEqualTo(new RecordingPolicy(RecordingPolicy.Kind.PERCENT, 25));
        assertThat(RecordingPolicy.parse("100%").percent()).isEqualTo(100);
        assertThat(RecordingPolicy.parse("0%").toString()).isEqualTo("0%");
        for (String bad : new String[] {"", "sometimes", "101%", "-1%", "25", "2.5%"}) {
            assertThatThrownBy(() -> RecordingPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void alwaysAndNeverDoNotDraw() {
        RandomGenerator refuse = () -> {
            throw new AssertionError("no draw expected");
        };
        assertThat(RecordingPolicy.parse("always").recordsOnAnswer(refuse)).isTrue();
        assertThat(RecordingPolicy.parse("never").recordsOnAnswer(refuse)).isFalse();
        assertThat(RecordingPolicy.parse("on-demand").recordsOnAnswer(refuse)).as("the agent starts it").isFalse();
    }

    @Test
    void aPercentageDrawsPerCallFromTheInjectedGenerator() {
        RecordingPolicy quarter = RecordingPolicy.parse("25%");
        // nextInt(100) < 25 records: 24 does, 25 does not
        assertThat(quarter.recordsOnAnswer(fixed(24))).isTrue();
        assertThat(quarter.recordsOnAnswer(fixed(25))).isFalse();
        assertThat(RecordingPolicy.parse("0%").recordsOnAnswer(fixed(0))).isFalse();
        assertThat(RecordingPolicy.parse("100%").recordsOnAnswer(fixed(99))).isTrue();

        // a seeded generator: the same calls are sampled every run, and about a quarter of them
        boolean[] first = draws(quarter, 42);
        assertThat(draws(quarter, 42)).isEqualTo(first);
        int recorded = 0;
        for (boolean b : first) {
            recorded += b ? 1 : 0;
        }
        assertThat(recorded).isBetween(200, 300);
    }

    private static boolean[] draws(RecordingPolicy p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] out = new boolean[1000];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.recordsOnAnswer(random);
        }
        return out;
    }

    private static RandomGenerator fixed(int value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                return value;
            }
        };
    }
}
