package dev.ivr.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CampaignModeConfigTest {
    private static final String BASE = """
            outbound:
              campaigns:
            """;

    private static String campaign(String name, String extra) {
        return "    - {name: " + name + ", segment: s, flow: contract-renewal" + extra + "}\n";
    }

    @Test
    void agentHandledCampaignsAreRead(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, BASE + campaign("p", ", mode: predictive, queue: sales, skills: {renewals: 2}, abandon-cap: 0.02")
                + campaign("a", ""));
        OutboundConfig o = ConfigLoader.load(f, Map.of()).outbound();
        CampaignConfig p = o.campaigns().get(0);
        assertThat(p.effectiveMode()).isEqualTo("predictive");
        assertThat(p.queue()).isEqualTo("sales");
        assertThat(p.skills()).containsExactlyEntriesOf(Map.of("renewals", 2));
        assertThat(p.effectiveAbandonCap()).isEqualTo(0.02);
        assertThat(p.effectiveAbandonFlow()).isEqualTo("campaign-abandoned");
        CampaignConfig a = o.campaigns().get(1);
        assertThat(a.effectivePreviewTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(a.previewTimeoutAccepts()).isFalse();
        assertThat(a.effectiveMode()).isEqualTo("agentless");
        assertThat(a.effectiveAbandonCap()).isEqualTo(0.03);
    }

    @Test
    void badModesAreReportedWithTheirKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, BASE
                + campaign("a", ", mode: predictiv, queue: sales")
                + campaign("b", ", mode: progressive")
                + campaign("c", ", mode: preview, queue: sales, preview-timeout: 2m, preview-timeout-action: dial")
                + campaign("d", ", mode: progressive, queue: sales, skills: {renewals: 11}, abandon-cap: 0.5")
                + campaign("e", ", queue: sales")
                + campaign("f", ", mode: predictive, queue: sales, retry-after: {abandoned: 2h}")
                + campaign("g", ", mode: preview, queue: sales, preview-timeout: 20s, preview-timeout-action: accept, retry-after: {skipped: 2h}")
                + campaign("h", ", mode: preview, queue: salse"));
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(String.join("\n", e.problems()))
                        .contains("outbound.campaigns[0].mode: 'predictiv' is not a dialing mode (agentless, progressive, predictive, preview); did you mean 'predictive'?")
                        .contains("outbound.campaigns[1].queue: a progressive campaign needs the queue whose agents take its calls")
                        .contains("outbound.campaigns[2].preview-timeout: must be 5s to 60s")
                        .contains("outbound.campaigns[2].preview-timeout-action: must be skip or accept (got 'dial')")
                        .contains("outbound.campaigns[3].skills.renewals: a level is 1 to 10 (got 11)")
                        .contains("outbound.campaigns[3].abandon-cap: a fraction of answered calls above 0 and at most 0.2")
                        .contains("outbound.campaigns[4].mode: queue and skills are for progressive, predictive and preview campaigns")
                        .contains("outbound.campaigns[7].queue: 'salse' is not a queue of routing.queues (billing, support, sales)")
                        .doesNotContain("campaigns[5]").doesNotContain("campaigns[6]"));
    }

    @Test
    void aPreviewMustEndBeforeTheAgentsReservationDoes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, "routing:\n  reservation-ttl: 60s\n" + BASE
                + campaign("p", ", mode: preview, queue: sales, preview-timeout: 45s"));
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(String.join("\n", e.problems()))
                        .contains("outbound.campaigns[0].preview-timeout: with queue sales's ring-time (20s) it must end at"
                                + " least 10s before routing.reservation-ttl (60s)"));
    }

    @Test
    void aRefreshNeedsASegmentAndAtLeastAMinuteAndACsvCampaignNeedsNoSegment(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, BASE + campaign("r", ", refresh: 1h") + "    - {name: listed, flow: payment-reminder}\n");
        OutboundConfig o = ConfigLoader.load(ok, Map.of()).outbound();
        assertThat(o.campaigns().get(0).refresh()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(o.campaigns().get(1).hasSegment()).isFalse();
        assertThat(o.campaigns().get(1).refresh()).isNull();
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, BASE + campaign("a", ", refresh: 30s") + "    - {name: b, flow: f, refresh: 1h}\n"
                + "    - {name: c, segment: 'no such', flow: f}\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(String.join("\n", e.problems()))
                        .contains("outbound.campaigns[0].refresh: must be at least 1m")
                        .contains("outbound.campaigns[1].refresh: refreshes the segment: name one in segment")
                        .contains("outbound.campaigns[2].segment: must be a saved segment's name"));
    }
}
