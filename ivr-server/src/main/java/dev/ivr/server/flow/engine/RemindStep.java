package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.reminder.ReminderTime;
import dev.ivr.server.flow.reminder.Reminders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The {@code remind} node: books a reminder for the call's identified or authenticated customer
 * through {@link Reminders}. {@code on-error} when no customer is known, the time is in the past
 * (or more than a year ahead) or cannot be read, or the store refuses. The log names the
 * campaign, the customer's id and the time, never a value the caller typed.
 */
final class RemindStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private final Clock clock;
    private volatile Reminders reminders = Reminders.NONE;

    RemindStep(Clock clock) {
        this.clock = clock;
    }

    void reminders(Reminders r) {
        this.reminders = r == null ? Reminders.NONE : r;
    }

    Next run(Node.Remind n, FlowEngine.Run run) {
        String customer = run.st.caller.customerId;
        if (customer == null) {
            LOG.info("[{}] remind {}: no customer identified, nothing booked", n.id(), n.campaign());
            run.observer.event("remind " + n.campaign() + ": no customer identified");
            return Next.to(n.onError());
        }
        Reminders r = reminders;
        Instant now = clock.instant();
        try {
            ZoneId zone = r.zone(n.campaign(), customer);
            Instant at;
            if (n.time() != null) {
                try {
                    at = ReminderTime.parse(n.time().render(run.st.activation()), zone);
                } catch (EvalException e) {
                    LOG.warn("[{}] remind {}: the time cannot be rendered: {}", n.id(), n.campaign(), e.getMessage());
                    run.observer.event("remind " + n.campaign() + ": the time cannot be read");
                    return Next.to(n.onError());
                } catch (IllegalArgumentException e) { // the value may be the caller's: not logged
                    LOG.warn("[{}] remind {}: the time is not an ISO date and time", n.id(), n.campaign());
                    run.observer.event("remind " + n.campaign() + ": the time cannot be read");
                    return Next.to(n.onError());
                }
            } else {
                at = ReminderTime.resolve(n.in(), n.at(), zone, now);
            }
            String problem = ReminderTime.problem(at, now);
            if (problem != null) {
                LOG.warn("[{}] remind {}: {}", n.id(), n.campaign(), problem);
                run.observer.event("remind " + n.campaign() + ": " + problem);
                return Next.to(n.onError());
            }
            String result = r.book(n.campaign(), customer, at, now);
            LOG.info("[{}] remind {}: customer {} at {} ({})", n.id(), n.campaign(), customer, at, result);
            run.observer.event("remind " + n.campaign() + ": customer " + customer + " at " + at + " (" + result + ")");
            return Next.to(n.next());
        } catch (Reminders.Refused e) {
            LOG.warn("[{}] remind {}: not booked: {}", n.id(), n.campaign(), e.getMessage());
            run.observer.event("remind " + n.campaign() + ": not booked (" + e.getMessage() + ")");
            return Next.to(n.onError());
        }
    }
}
