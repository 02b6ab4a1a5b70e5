package dev.ivr.server.flow.hours;

import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.yaml.YamlDoc;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;

/**
 * The opening-hours calendars flows use in {@code hours} nodes, from {@code config/calendars.yaml}:
 *
 * <pre>
 * calendars:
 *   support:
 *     time-zone: Europe/Budapest
 *     open:
 *       mon-fri: "08:00-18:00"
 *       sat: ["09:00-12:00", "13:00-15:00"]
 *     holidays:
 *       - {date: 2025-12-25, name: Christmas Day}
 *       - 2026-01-01
 * </pre>
 */
public final class Calendars {
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private final Map<String, Calendar> byName;

    private Calendars(Map<String, Calendar> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Calendars none() {
        return new Calendars(Map.of());
    }

    public static Calendars of(Map<String, Calendar> calendars) {
        return new Calendars(calendars);
    }

    public Optional<Calendar> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Loads the file (absent: no calendars); problems are added with file:line:column. */
    public static Calendars load(Path file, List<Problem> problems) {
        return load(file, problems, java.time.Clock.systemUTC());
    }

    /** How far ahead a calendar's holidays should reach; nearer, validate notes that next year's are missing. */
    static final java.time.Period HOLIDAYS_AHEAD = java.time.Period.ofDays(60);

    /** As {@link #load(Path, List)}; {@code clock} says what "today" is for the holidays note. */
    public static Calendars load(Path file, List<Problem> problems, java.time.Clock clock) {
        if (file == null || !Files.isRegularFile(file)) {
            return none();
        }
        YamlDoc doc;
        try {
            doc = YamlDoc.read(file);
        } catch (YamlDoc.Failure f) {
            problems.add(f.problem());
            return none();
        }
        Map<String, Calendar> out = new LinkedHashMap<>();
        Node cals = YamlDoc.get(doc.root(), "calendars");
        if (cals == null) {
            problems.add(Problem.error(file, YamlDoc.pos(doc.root()), "expected 'calendars:' with one entry per calendar"));
            return none();
        }
        for (var e : YamlDoc.entries(cals)) {
            String name = e.getKey().getValue();
            Calendar c = calendar(file, name, e.getValue(), problems, clock);
            if (c != null) {
                out.put(name, c);
            }
        }
        return new Calendars(out);
    }

    private static Calendar calendar(Path file, String name, Node n, List<Problem> problems, java.time.Clock clock) {
        int before = problems.size();
        ZoneId zone = ZoneId.of("UTC");
        String tz = YamlDoc.text(YamlDoc.get(n, "time-zone"));
        if (tz == null) {
            problems.add(Problem.error(file, YamlDoc.pos(n), "calendar '" + name + "' needs a time-zone (e.g. Europe/Budapest)"));
        } else {
            try {
                zone = ZoneId.of(tz);
            } catch (DateTimeException e) {
                problems.add(Problem.error(file, YamlDoc.pos(YamlDoc.get(n, "time-zone")), "unknown time zone '" + tz + "'"));
            }
        }
        for (var e : YamlDoc.entries(n)) {
            String k = e.getKey().getValue();
            if (!Set.of("time-zone", "open", "holidays", "description").contains(k)) {
                problems.add(Problem.error(file, YamlDoc.pos(e.getKey()), "unknown key '" + k
                        + "' (use time-zone, open, holidays, description)"));
            }
        }
        Map<DayOfWeek, List<Calendar.Range>> weekly = new EnumMap<>(DayOfWeek.class);
        for (var e : YamlDoc.entries(YamlDoc.get(n, "open"))) {
            List<DayOfWeek> days = days(e.getKey().getValue());
            if (days.isEmpty()) {
                problems.add(Problem.error(file, YamlDoc.pos(e.getKey()), "'" + e.getKey().getValue()
                        + "' is not a day or a range of days such as mon, mon-fri"));
                continue;
            }
            List<Node> ranges = e.getValue() instanceof SequenceNode s ? s.getValue() : List.of(e.getValue());
            for (Node rn : ranges) {
                Calendar.Range r = range(YamlDoc.text(rn));
                if (r == null) {
                    problems.add(Problem.error(file, YamlDoc.pos(rn), "expected opening hours such as \"08:00-18:00\""));
                    continue;
                }
                for (DayOfWeek d : days) {
                    weekly.computeIfAbsent(d, x -> new ArrayList<>()).add(r);
                }
            }
        }
        Map<LocalDate, String> holidays = new LinkedHashMap<>();
        Node hol = YamlDoc.get(n, "holidays");
        if (hol instanceof SequenceNode s) {
            for (Node h : s.getValue()) {
                String date = h instanceof ScalarNode ? YamlDoc.text(h) : YamlDoc.text(YamlDoc.get(h, "date"));
                String hname = h instanceof ScalarNode ? "holiday" : YamlDoc.text(YamlDoc.get(h, "name"));
                try {
                    holidays.put(LocalDate.parse(date == null ? "" : date), hname == null ? "holiday" : hname);
                } catch (DateTimeParseException ex) {
                    problems.add(Problem.error(file, YamlDoc.pos(h), "expected a date such as 2025-12-25"));
                }
            }
        } else if (hol != null) {
            problems.add(Problem.error(file, YamlDoc.pos(hol), "holidays is a list of dates"));
        }
        boolean ok = problems.size() == before;
        if (hol instanceof SequenceNode && !holidays.isEmpty() && ok) {
            LocalDate last = holidays.keySet().stream().max(LocalDate::compareTo).orElseThrow();
            LocalDate today = LocalDate.now(clock.withZone(zone));
            if (last.isBefore(today.plus(HOLIDAYS_AHEAD))) {
                problems.add(Problem.note(file, YamlDoc.pos(hol), "calendar '" + name + "': its last holiday is " + last
                        + (last.isBefore(today) ? ", in the past" : "") + ": add the coming holidays (until then"
                        + " every later day follows the weekly hours)"));
            }
        }
        return ok ? new Calendar(name, zone, weekly, holidays) : null;
    }

    private static List<DayOfWeek> days(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("\\s*-\\s*");
        int a = DAYS.indexOf(parts[0]);
        int b = parts.length == 2 ? DAYS.indexOf(parts[1]) : a;
        if (parts.length > 2 || a < 0 || b < 0 || b < a) {
            return List.of();
        }
        List<DayOfWeek> out = new ArrayList<>();
        for (int i = a; i <= b; i++) {
            out.add(DayOfWeek.of(i + 1));
        }
        return out;
    }

    private static Calendar.Range range(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.trim().split("\\s*-\\s*");
        if (p.length != 2) {
            return null;
        }
        try {
            LocalTime start = LocalTime.parse(p[0]);
            LocalTime end = p[1].equals("24:00") ? LocalTime.MAX : LocalTime.parse(p[1]);
            return end.isAfter(start) ? new Calendar.Range(start, end) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
