package dev.ivr.server.flow.hours;

import dev.ivr.server.flow.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 (15): the sample holidays ended in March 2026 and nothing said so. */
class CalendarsHolidaysTest {
    static List<Problem> load(Path file, String today) {
        List<Problem> problems = new ArrayList<>();
        Calendars c = Calendars.load(file, problems, Clock.fixed(Instant.parse(today + "T12:00:00Z"), ZoneOffset.UTC));
        assertThat(c.names()).isNotEmpty(); // a note does not refuse the calendar
        return problems;
    }

    @Test
    void holidaysThatRunOutAreANote(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("calendars.yaml");
        Files.writeString(f, """
                calendars:
                  support:
                    time-zone: Europe/Budapest
                    open: {mon-fri: "08:00-20:00"}
                    holidays:
                      - {date: 2025-12-25, name: Christmas Day}
                      - {date: 2026-03-15, name: National Day}
                """);
        assertThat(load(f, "2025-11-01")).isEmpty();
        List<Problem> p = load(f, "2026-02-01");
        assertThat(p).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Problem.Severity.NOTE);
            assertThat(n.toString()).contains(":6:7: note: calendar 'support': its last holiday is 2026-03-15: add the coming holidays");
        });
        assertThat(load(f, "2026-12-02")).singleElement().asString().contains("2026-03-15, in the past");
    }

    @Test
    void theShippedCalendarHasHolidaysForTheComingMonths() {
        List<Problem> problems = new ArrayList<>();
        Calendars.load(Path.of("../config/calendars.yaml"), problems, Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"),
                ZoneOffset.UTC));
        assertThat(problems).isEmpty();
    }
}
