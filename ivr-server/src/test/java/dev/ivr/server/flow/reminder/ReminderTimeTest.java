package dev.ivr.server.flow.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When a remind node's reminder is due: offsets, local clock times across zones and DST, written times. */
class ReminderTimeTest {
    private static final ZoneId BUDAPEST = ZoneId.of("Europe/Budapest");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** 2027-03-02 00:30 in Budapest (UTC+1), still 2027-03-01 18:30 in New York (UTC-5). */
    private static final Instant NOW = Instant.parse("2027-03-01T23:30:00Z");

    @Test
    void anOffsetAloneCountsFromNow() {
        assertThat(ReminderTime.resolve(Duration.ofHours(2), null, BUDAPEST, NOW)).isEqualTo("2027-03-02T01:30:00Z");
        assertThat(ReminderTime.resolve(Duration.ofDays(1), null, BUDAPEST, NOW)).isEqualTo("2027-03-02T23:30:00Z");
    }

    @Test
    void aClockTimeIsOnTheDayTheOffsetReachesInTheCustomersZone() {
        // now+1d is 2027-03-03 00:30 in Budapest: that day at 10:00 local (09:00Z)
        assertThat(ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(10, 0), BUDAPEST, NOW))
                .isEqualTo("2027-03-03T09:00:00Z");
        // the same moment is 2027-03-02 18:30 in New York: that day at 10:00 local (15:00Z)
        assertThat(ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(10, 0), NEW_YORK, NOW))
                .isEqualTo("2027-03-02T15:00:00Z");
    }

    @Test
    void aClockTimeAloneIsTodayAndMayBeInThePast() {
        Instant nyToday10 = ReminderTime.resolve(null, LocalTime.of(10, 0), NEW_YORK, NOW);
        assertThat(nyToday10).isEqualTo("2027-03-01T15:00:00Z");
        assertThat(ReminderTime.problem(nyToday10, NOW)).isEqualTo("the time 2027-03-01T15:00:00Z is in the past");
        Instant budapestToday10 = ReminderTime.resolve(null, LocalTime.of(10, 0), BUDAPEST, NOW);
        assertThat(budapestToday10).isEqualTo("2027-03-02T09:00:00Z");
        assertThat(ReminderTime.problem(budapestToday10, NOW)).isNull();
    }

    @Test
    void aClockTimeAcrossTheSpringChangeKeepsItsLocalReading() {
        // Budapest moves to UTC+2 on 2027-03-28: 10:00 local is 08:00Z after, 09:00Z before
        Instant before = Instant.parse("2027-03-27T12:00:00Z");
        assertThat(ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(10, 0), BUDAPEST, before))
                .isEqualTo("2027-03-28T08:00:00Z");
        // 02:30 does not exist that night: moved forward by the gap
        assertThat(ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(2, 30), BUDAPEST, before))
                .isEqualTo("2027-03-28T01:30:00Z");
    }

    @Test
    void writtenTimesWithOrWithoutAnOffset() {
        assertThat(ReminderTime.parse("2027-03-02T10:00:00+01:00", NEW_YORK)).isEqualTo("2027-03-02T09:00:00Z");
        assertThat(ReminderTime.parse("2027-03-02T10:00:00Z", NEW_YORK)).isEqualTo("2027-03-02T10:00:00Z");
        assertThat(ReminderTime.parse(" 2027-03-02T10:00 ", BUDAPEST)).isEqualTo("2027-03-02T09:00:00Z");
        assertThatThrownBy(() -> ReminderTime.parse("tomorrow", BUDAPEST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tomorrow' is not a date and time");
        assertThatThrownBy(() -> ReminderTime.parse(null, BUDAPEST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromNowToAYearAhead() {
        assertThat(ReminderTime.problem(NOW, NOW)).isNull();
        assertThat(ReminderTime.problem(NOW.plus(Duration.ofDays(366)), NOW)).isNull();
        assertThat(ReminderTime.problem(NOW.minusSeconds(1), NOW)).contains("in the past");
        assertThat(ReminderTime.problem(NOW.plus(Duration.ofDays(367)), NOW)).contains("more than a year ahead");
    }
}
