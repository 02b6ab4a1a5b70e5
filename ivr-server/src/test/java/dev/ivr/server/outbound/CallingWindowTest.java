package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallingWindowTest {
    @Test
    void callsStartOnlyOnTheCampaignsDaysAndHoursInItsZoneAndNotAfterItsEndDate() {
        CampaignConfig closed = new CampaignConfig("night", "all", "f", null, null, 1, 1, Map.of(), List.of("monday"),
                "09:00", "10:00", "UTC", null);
        assertThat(CallingWindow.open(closed, Instant.parse("2027-03-01T09:30:00Z"))).as("a Monday 09:30").isTrue();
        assertThat(CallingWindow.open(closed, Instant.parse("2027-03-01T10:00:00Z"))).isFalse();
        assertThat(CallingWindow.open(closed, Instant.parse("2027-03-02T09:30:00Z"))).as("a Tuesday").isFalse();
        CampaignConfig ended = new CampaignConfig("old", "all", "f", null, null, 1, 1, Map.of(), List.of(), "00:00", "23:59",
                "Europe/Budapest", "2027-02-28");
        assertThat(CallingWindow.ended(ended, Instant.parse("2027-02-28T23:30:00Z"))).as("already March 1 in Budapest").isTrue();
        assertThat(CallingWindow.ended(ended, Instant.parse("2027-02-28T22:30:00Z"))).isFalse();
    }
}
