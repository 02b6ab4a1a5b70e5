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
        @Doc("The saved segment whose customers are called (./ivr segment save); evaluated when the campaign starts (and every refresh). Without one, the campaign's list is what ./ivr campaign import (POST /api/campaigns/{name}/contacts) brings, from CSV.")
        String segment,
        @Doc("The flow that runs when the customer answers; it reads call.query.campaign, call.query.customer, call.query.attempt, call.query.reason and call.query.amd, and the customer called is the call's customer (customer.*) from its start.")
        String flow,
        @Doc("Why the customer is called, passed to the flow as call.query.reason (e.g. contract-renewal).")
        String reason,
        @Doc("Caller ID shown to the customer, e.g. \"Example Ltd\" <+3619990000>.")
        String callerId,
        @Doc("Most calls of this campaign at once, across all servers. Default 1.")
        Integer maxConcurrent,
        @Doc("Most attempts per customer. Default 3.")
        Integer maxAttempts,
        @Doc("Wait before the next attempt, by the last result: busy, no-answer, congestion, failed, abandoned (answered with no agent free), skipped (a preview the agent skipped). Default 1h for each.")
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
        @Doc("How the campaign dials: agentless (the flow alone, up to max-concurrent), progressive (one call per ready agent of the queue), predictive (more calls than ready agents, paced from the measured answer rate, connect and handle time under abandon-cap), preview (an agent of the queue sees the customer first and accepts or skips; then the agent's phone rings and the customer is dialled). Default agentless.")
        String mode,
        @Doc("Progressive, predictive and preview: the queue whose agents take the answered calls (the campaign's flow routes the call there); the dialer paces by its ready agents.")
        String queue,
        @Doc("Progressive, predictive and preview: skills (name -> minimum level 1-10) an agent needs, besides the queue's own requirements, to count as an agent of the campaign.")
        Map<String, Integer> skills,
        @Doc("Predictive: most abandoned calls (answered with no agent free) as a fraction of answered calls, over a rolling 24 h and over the last hour. Default 0.03 (3%).")
        Double abandonCap,
        @Doc("The flow an answered call with no agent free runs: a short message (who called, that they will call again). Default campaign-abandoned.")
        String abandonFlow,
        @Doc("Most attempts per customer in one day of the customer's local time. Default: no limit beyond max-attempts.")
        Integer maxAttemptsPerDay,
        @Doc("Whether days, from and until are the customer's local time (the time zone of the customer's attribute time-zone-attribute, else of the number's region; time-zone when neither tells). Default true; false: time-zone's.")
        Boolean calleeLocalTime,
        @Doc("A customer attribute holding the customer's time zone (IANA name); it comes before the number's region. Default: none.")
        String timeZoneAttribute,
        @Doc("Preview: how long the agent sees the customer before the preview times out (5s to 60s; it must stay shorter than routing.reservation-ttl minus the queue's ring-time). Default 30s.")
        Duration previewTimeout,
        @Doc("Preview: what a preview that timed out does: skip (the contact gets its next attempt per retry-after.skipped) or accept (the customer is dialled). Default skip.")
        String previewTimeoutAction,
        @Doc("While the campaign runs, evaluate its segment again this often (e.g. 1h; at least 1m), on one server of the cluster per period: customers who now match are added as pending contacts, those already in the campaign are left as they are. Default: only at start.")
        Duration refresh) {

    public static final Set<String> RESULTS = Set.of("busy", "no-answer", "congestion", "failed", "abandoned", "skipped");
    private static final List<String> MODES = List.of("agentless", "progressive", "predictive", "preview");
    private static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    public CampaignConfig {
        retryAfter = retryAfter == null ? Map.of() : Map.copyOf(retryAfter);
        days = days == null ? List.of() : List.copyOf(days);
        skills = skills == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skills));
    }

    /** An agentless campaign with the default calling rules (the settings before dialing modes existed). */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from,
                          String until, String timeZone, String endDate) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A campaign of a dialing mode with the default calling rules. */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from,
                          String until, String timeZone, String endDate, String mode, String queue,
                          Map<String, Integer> skills, Double abandonCap, String abandonFlow) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, mode, queue, skills, abandonCap, abandonFlow, null, null, null, null, null, null);
    }

    /** An agentless campaign with calling rules. */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from,
                          String until, String timeZone, String endDate, Integer maxAttemptsPerDay,
                          Boolean calleeLocalTime, String timeZoneAttribute) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, null, null, null, null, null, maxAttemptsPerDay, calleeLocalTime, timeZoneAttribute, null, null, null);
    }

    /** Every setting but the preview's (the settings before preview mode existed). */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from,
                          String until, String timeZone, String endDate, String mode, String queue,
                          Map<String, Integer> skills, Double abandonCap, String abandonFlow, Integer maxAttemptsPerDay,
                          Boolean calleeLocalTime, String timeZoneAttribute) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, mode, queue, skills, abandonCap, abandonFlow, maxAttemptsPerDay, calleeLocalTime, timeZoneAttribute,
                null, null, null);
    }

    /** Every setting but the segment's refresh (the settings before refresh existed). */
    public CampaignConfig(String name, String segment, String flow, String reason, String callerId, Integer maxConcurrent,
                          Integer maxAttempts, Map<String, Duration> retryAfter, List<String> days, String from,
                          String until, String timeZone, String endDate, String mode, String queue,
                          Map<String, Integer> skills, Double abandonCap, String abandonFlow, Integer maxAttemptsPerDay,
                          Boolean calleeLocalTime, String timeZoneAttribute, Duration previewTimeout, String previewTimeoutAction) {
        this(name, segment, flow, reason, callerId, maxConcurrent, maxAttempts, retryAfter, days, from, until, timeZone,
                endDate, mode, queue, skills, abandonCap, abandonFlow, maxAttemptsPerDay, calleeLocalTime, timeZoneAttribute,
                previewTimeout, previewTimeoutAction, null);
    }

    /** Whether the campaign's list is a segment (else CSV imports, reminders and events only). */
    public boolean hasSegment() {
        return segment != null && !segment.isBlank();
    }

    /** Preview: how long the agent sees the customer before the preview times out. */
    public Duration effectivePreviewTimeout() {
        return previewTimeout == null ? Duration.ofSeconds(30) : previewTimeout;
    }

    /** Preview: whether a preview that timed out is accepted (else skipped). */
    public boolean previewTimeoutAccepts() {
        return "accept".equalsIgnoreCase(previewTimeoutAction);
    }

    /** The dialing mode's word: agentless, progressive, predictive or preview. */
    public String effectiveMode() {
        return mode == null || mode.isBlank() ? "agentless" : mode.toLowerCase(Locale.ROOT);
    }

    public double effectiveAbandonCap() {
        return abandonCap == null ? 0.03 : abandonCap;
    }

    public String effectiveAbandonFlow() {
        return abandonFlow == null || abandonFlow.isBlank() ? "campaign-abandoned" : abandonFlow;
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
        if (segment != null && !segment.isBlank() && !segment.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            p.add(key + "segment", "must be a saved segment's name (./ivr segment list), or none for a CSV list (got '" + segment + "')");
        }
        if (refresh != null && !hasSegment()) {
            p.add(key + "refresh", "refreshes the segment: name one in segment (a CSV list is refreshed by importing again)");
        } else if (refresh != null && refresh.compareTo(Duration.ofMinutes(1)) < 0) {
            p.add(key + "refresh", "must be at least 1m (got " + refresh + ")");
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
        validateMode(p, key);
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

    private void validateMode(Problems p, String key) {
        String m = effectiveMode();
        if (!MODES.contains(m)) {
            p.add(key + "mode", "'" + mode + "' is not a dialing mode (" + String.join(", ", MODES) + ")"
                    + dev.ivr.server.text.DidYouMean.suffix(m, MODES));
            return;
        }
        if (m.equals("preview")) {
            if (previewTimeout != null && (previewTimeout.compareTo(Duration.ofSeconds(5)) < 0
                    || previewTimeout.compareTo(Duration.ofSeconds(60)) > 0)) {
                p.add(key + "preview-timeout", "must be 5s to 60s (got " + previewTimeout + ")");
            }
            if (previewTimeoutAction != null && !List.of("skip", "accept").contains(previewTimeoutAction.toLowerCase(Locale.ROOT))) {
                p.add(key + "preview-timeout-action", "must be skip or accept (got '" + previewTimeoutAction + "')");
            }
        } else if (previewTimeout != null || previewTimeoutAction != null) {
            p.add(key + "mode", "preview-timeout and preview-timeout-action are for preview campaigns; set mode: preview");
        }
        boolean agents = !m.equals("agentless");
        if (agents && (queue == null || queue.isBlank())) {
            p.add(key + "queue", "a " + m + " campaign needs the queue whose agents take its calls (routing.queues)");
        }
        if (!agents && (queue != null || !skills.isEmpty())) {
            p.add(key + "mode", "queue and skills are for progressive, predictive and preview campaigns; set mode");
        }
        skills.forEach((skill, level) -> {
            if (skill == null || !skill.matches("[A-Za-z0-9_.-]{1,64}")) {
                p.add(key + "skills", "'" + skill + "' is not a skill name (letters, digits, '_', '-', '.')");
            } else if (level == null || level < 1 || level > 10) {
                p.add(key + "skills." + skill, "a level is 1 to 10 (got " + level + ")");
            }
        });
        if (abandonCap != null && !(abandonCap > 0 && abandonCap <= 0.2)) {
            p.add(key + "abandon-cap", "a fraction of answered calls above 0 and at most 0.2, e.g. 0.03 for 3% (got " + abandonCap + ")");
        }
        if (abandonFlow != null && !abandonFlow.matches("[A-Za-z0-9_-]{1,64}")) {
            p.add(key + "abandon-flow", "must be a flow name (got '" + abandonFlow + "')");
        }
    }
}
