package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.util.NavigableMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Percentiles of the server's response-time histogram, from two /metrics readings. */
class ServerMetricsTest {
    static String metrics(long answerUnderHalfMs, long answerUnder2Ms, long streamUnderHalfMs, long streamUnder2Ms,
                          long streamTotal) {
        return """
                # HELP ivr_agi_response_seconds Server response time
                # TYPE ivr_agi_response_seconds histogram
                ivr_agi_response_seconds_bucket{command="ANSWER",le="5.0E-4"} %d
                ivr_agi_response_seconds_bucket{command="ANSWER",le="0.002"} %d
                ivr_agi_response_seconds_bucket{command="ANSWER",le="+Inf"} %d
                ivr_agi_response_seconds_count{command="ANSWER"} %d
                ivr_agi_response_seconds_bucket{command="STREAM FILE",le="5.0E-4"} %d
                ivr_agi_response_seconds_bucket{command="STREAM FILE",le="0.002"} %d
                ivr_agi_response_seconds_bucket{command="STREAM FILE",le="+Inf"} %d
                ivr_agi_command_seconds_bucket{command="ANSWER",le="0.002"} 999999
                """.formatted(answerUnderHalfMs, answerUnder2Ms, answerUnder2Ms, answerUnder2Ms,
                streamUnderHalfMs, streamUnder2Ms, streamTotal);
    }

    @Test
    void bucketsAreSummedOverCommandsAndOnlyTheResponseHistogramCounts() {
        NavigableMap<Double, Long> b = ServerMetrics.parse(metrics(10, 10, 80, 90, 100));
        assertThat(b).containsEntry(0.0005, 90L).containsEntry(0.002, 100L).containsEntry(Double.POSITIVE_INFINITY, 110L);
    }

    @Test
    void percentilesComeFromWhatWasRecordedBetweenTheReadings() {
        NavigableMap<Double, Long> before = ServerMetrics.parse(metrics(10, 10, 80, 90, 100));
        // in between: 100 commands under 0.5 ms, 8 under 2 ms, 2 slower
        NavigableMap<Double, Long> after = ServerMetrics.parse(metrics(60, 60, 130, 148, 160));
        assertThat(ServerMetrics.percentileMicros(before, after, 50)).isEqualTo(500);
        assertThat(ServerMetrics.percentileMicros(before, after, 95)).isEqualTo(2000);
        assertThat(ServerMetrics.percentileMicros(before, after, 99)).isEqualTo(Long.MAX_VALUE); // beyond the last bucket
        assertThat(ServerMetrics.percentileMicros(after, after, 99)).isEqualTo(-1); // nothing recorded
    }

    @Test
    void promptMissesAreEveryOutcomeButAHit() {
        String text = """
                # HELP ivr_prompt_requests_total Prompts asked for by calls, by outcome
                # TYPE ivr_prompt_requests_total counter
                ivr_prompt_requests_total{outcome="hit"} 5000.0
                ivr_prompt_requests_total{outcome="over_budget"} 740.0
                ivr_prompt_requests_total{node="n1",outcome="rendered"} 12.0
                ivr_prompt_requests_total{outcome="failed",} 1.0
                ivr_prompt_miss_seconds_count 12.0
                """;
        assertThat(ServerMetrics.promptMisses(text)).isEqualTo(753);
        assertThat(ServerMetrics.promptMisses("# nothing asked for yet\n")).isZero();
    }
}
