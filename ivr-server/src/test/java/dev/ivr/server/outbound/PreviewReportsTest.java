package dev.ivr.server.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Dial's DIALSTATUS as a preview attempt's result (the dialplan's hangup-handler report). */
class PreviewReportsTest {
    @Test
    void dialStatusesMapToAttemptResults() {
        assertThat(PreviewReports.result("ANSWER")).isEqualTo("answered");
        assertThat(PreviewReports.result("busy")).isEqualTo("busy");
        assertThat(PreviewReports.result("NOANSWER")).isEqualTo("no-answer");
        assertThat(PreviewReports.result("CANCEL")).as("the agent hung up while it rang").isEqualTo("no-answer");
        assertThat(PreviewReports.result("CONGESTION")).isEqualTo("congestion");
        assertThat(PreviewReports.result("CHANUNAVAIL")).isEqualTo("failed");
        assertThat(PreviewReports.result("")).as("Dial never ran").isEqualTo("failed");
        assertThat(PreviewReports.result("DONTCALL")).isEqualTo("failed");
    }
}
