package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.callcontext.ScreenPops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Dial mode {@code dialplan}: the dialplan dials the agent and reports back. An offer that is
 * neither answered nor reported shortly after its ring time (a dialplan without the reports)
 * is ended here, so the agent is not held and the call does not wait in a queue nobody
 * watches.
 */
final class DialplanWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DialplanWatch.class);
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final RoutingService router;
    private final Offers offers;
    private final ScreenPops screenPops;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("dialplan-watch").factory());

    DialplanWatch(RoutingService router, Offers offers, ScreenPops screenPops) {
        this.router = router;
        this.offers = offers;
        this.screenPops = screenPops;
    }

    void watch(Reservation r) {
        timer.schedule(() -> check(r), r.ringTime().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(Reservation r) {
        try {
            offers.get(r.callId()).filter(o -> !o.answered() && o.offer() == r.offer()).ifPresent(o -> {
                LOG.warn("call {}: the dialplan reported neither an answer nor the end of the dial to agent {}: "
                        + "offer ended (is route-ended in the dialplan?)", r.callId(), r.agentId());
                router.offerFailed(r, "no-report");
                router.cancel(r.callId());
                screenPops.ended(r.agentId(), r.callId(), "no-report");
                offers.remove(r.callId());
            });
        } catch (RuntimeException e) {
            LOG.warn("dialplan watch of call {}: {}", r.callId(), e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
