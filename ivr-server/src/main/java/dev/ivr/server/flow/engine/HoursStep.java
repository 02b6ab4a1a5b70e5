package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.hours.Calendar;
import dev.ivr.server.flow.model.Node;
import java.time.Clock;
import java.util.Locale;

/** The {@code hours} node: the calendar's status now picks the edge (a holiday without its own edge is closed). */
final class HoursStep {
    private final Clock clock;

    HoursStep(Clock clock) {
        this.clock = clock;
    }

    Next run(Node.Hours n, FlowEngine.Run run) {
        Calendar cal = run.set.calendars().find(n.calendar()).orElseThrow(() ->
                new IllegalStateException("no calendar '" + n.calendar() + "'"));
        Calendar.Status s = cal.status(clock.instant());
        run.observer.event("calendar " + n.calendar() + ": " + s);
        String t = n.outcomes().targets().get(s.name().toLowerCase(Locale.ROOT));
        if (t == null && s == Calendar.Status.HOLIDAY) {
            t = n.outcomes().targets().get("closed");
        }
        return Next.to(t);
    }
}
