package dev.ivr.server.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One campaign of {@code outbound.campaigns}. */
public record CampaignConfig(
        @Doc("Campaign name (letters, digits, '_', '-', '.'), as ./ivr campaign and the attempt records name it.")
        String name,
        @Doc("The saved segment whose customers are called (./ivr segment save); evaluated when the campaign starts.")
        String segment,
        @Doc("The flow that runs when the customer answers; it reads call.query.campaign, call.query.customer, call.query.attempt and call.query.reason.")
        String flow,
        @Doc("Why the customer is called, passed to the flow as call.query.reason (e.g. contract-renewal).")
        String reason,
        @Doc("Caller ID shown to the customer, e.g. \"Example Ltd\" <+3619990000>.")
        String callerId,
        @Doc("Most calls of this campaign at once, across all servers. Default 1.")
        Integer maxConcurrent,
        @Doc("Most attempts per customer. Default 3.")
        Integer maxAttempts,
        @Doc("Wait before the next attempt, by the last result: busy, no-answer, congestion, failed. Default 1h for each.")
        Map<String, Duration> retryAfter,
        @Doc("Days calls may be placed (monday to sunday). Default monday-friday.")
        List<String> days,
        @Doc("Earliest local time of a call, HH:MM. Default 09:00.")
        String from,
        @Doc("Latest local time of a call, HH:MM. Default 20:00.")
        String until,
        @Doc("Time zone of the calling window (IANA name, e.g. Europe/Budapest). Default: the server's.")
        String timeZone,
        @Doc("Last day of the campaign (YYYY-MM-DD); no call after it. Default: none.")
        String endDate,
        @Doc("Most attempts per customer in one day of the customer's local time. Default: no limit beyond max-attempts.")
        Integer maxAttemptsPerDay,
        @Doc("Whether days, from and until are the customer's local time (the time zone of the customer's attribute time-zone-attribute, else of the number's region; time-zone when neither tells). Default true; false: time-zone's.")
        Boolean calleeLocalTime,
        @Doc("A customer attribute holding the customer's time zone (IANA name); it comes before the number's region. Default: none.")
        String timeZoneAttribute) {

    public static final Set<String> RESULTS = Set.of("busy", "no-answer", "congestion", "failed");
    private static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    public CampaignConfig {
        retryAfter = retryAfter == null ? Map.of() : Map.copyOf(retryAfter);
        days = days == null ? List.of() : List.copyOf(days);
    }

    /** The configuration before the calling rules (max-attempts-per-day, callee-local-time, time-zone-attribute). */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from, String until,
                          String timeZone, String endDate) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, null, null, null);
    }

    /** Whether the calling window is the customer's local time. */
    public boolean effectiveCalleeLocalTime() {
        return calleeLocalTime == null || calleeLocalTime;
    }

    public int effectiveMaxConcurrent() {
        return maxConcurrent == null ? 1 : maxConcurrent;
    }

    public int effectiveMaxAttempts() {
        return maxAttempts == null ? 3 : maxAttempts;
    }

    public Duration retryAfter(String result) {
        return retryAfter.getOrDefault(result, Duration.ofHours(1));
    }

    public Set<DayOfWeek> effectiveDays() {
        if (days.isEmpty()) {
            return Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        }
        return days.stream().map(d -> DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT))).collect(java.util.stream.Collectors.toSet());
    }

    public LocalTime effectiveFrom() {
        return from == null ? LocalTime.of(9, 0) : LocalTime.parse(from);
    }

    public LocalTime effectiveUntil() {
        return until == null ? LocalTime.of(20, 0) : LocalTime.parse(until);
    }

    public ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone);
    }

    public LocalDate effectiveEndDate() {
        return endDate == null || endDate.isBlank() ? null : LocalDate.parse(endDate);
    }

    void validate(Problems p, String key) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            p.add(key + "name", "must be 1-64 letters, digits, '_', '-' or '.' (got '" + name + "')");
        }
        if (segment == null || segment.isBlank()) {
            p.add(key + "segment", "name the saved segment to call (./ivr segment list)");
        }
        if (flow == null || flow.isBlank()) {
            p.add(key + "flow", "name the flow to run when the customer answers");
        }
        if (reason != null && !reason.matches("[A-Za-z0-9_.-]{0,64}")) {
            p.add(key + "reason", "a word for the flow (letters, digits, '_', '-', '.'), e.g. contract-renewal (got '" + reason + "')");
        }
        if (maxConcurrent != null && (maxConcurrent < 1 || maxConcurrent > 1000)) {
            p.add(key + "max-concurrent", "must be 1 to 1000 (got " + maxConcurrent + ")");
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 20)) {
            p.add(key + "max-attempts", "must be 1 to 20 (got " + maxAttempts + ")");
        }
        retryAfter.forEach((result, d) -> {
            if (!RESULTS.contains(result)) {
                p.add(key + "retry-after." + result, "results are " + String.join(", ", new java.util.TreeSet<>(RESULTS))
                        + dev.ivr.server.text.DidYouMean.suffix(result, RESULTS));
            } else if (d == null || d.isNegative()) {
                p.add(key + "retry-after." + result, "must be a duration such as 30m");
            }
        });
        for (String d : days) {
            if (d == null || !DAYS.contains(d.toLowerCase(Locale.ROOT))) {
                p.add(key + "days", "'" + d + "' is not a day (monday to sunday)" + (d == null ? "" : dev.ivr.server.text.DidYouMean.suffix(d.toLowerCase(Locale.ROOT), DAYS)));
            }
        }
        for (String[] t : new String[][]{{"from", from}, {"until", until}}) {
            if (t[1] != null) {
                try {
                    LocalTime.parse(t[1]);
                } catch (DateTimeException e) {
                    p.add(key + t[0], "must be a time of day HH:MM (got '" + t[1] + "')");
                }
            }
        }
        if (from != null && until != null) {
            try {
                if (!LocalTime.parse(from).isBefore(LocalTime.parse(until))) {
                    p.add(key + "until", "must be after from");
                }
            } catch (DateTimeException e) {
                // reported above
            }
        }
        if (timeZone != null && !timeZone.isBlank()) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                p.add(key + "time-zone", "'" + timeZone + "' is not a time zone (e.g. Europe/Budapest)");
            }
        }
        if (maxAttemptsPerDay != null && (maxAttemptsPerDay < 1 || maxAttemptsPerDay > 20)) {
            p.add(key + "max-attempts-per-day", "must be 1 to 20 (got " + maxAttemptsPerDay + ")");
        }
        if (timeZoneAttribute != null && !timeZoneAttribute.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            p.add(key + "time-zone-attribute", "must be an attribute name (got '" + timeZoneAttribute + "')");
        }
        if (endDate != null && !endDate.isBlank()) {
            try {
                LocalDate.parse(endDate);
            } catch (DateTimeException e) {
                p.add(key + "end-date", "must be a date YYYY-MM-DD (got '" + endDate + "')");
            }
        }
    }
}
