package dev.ivr.server.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The check that someone could still serve a waiting call, off the calls' threads: every {@link #EVERY} one pass over
 * this node's waiting calls; each call whose check is due ({@link QueueCallRouter#ELIGIBILITY_EVERY} after its last)
 * is checked ({@link QueueWait#checkEligibility}: the routing's {@code anyAgentCouldServe}, read from the node's local
 * view). Only a call nobody could serve any more has its wait cut (as an offer cuts it); its loop then leaves with
 * {@code NoAgents}, at most {@link #EVERY} after the check fell due. A waiting caller's quiet stretch thus does not
 * end at the check: no turn of the call's own (a {@code WAIT FOR DIGIT} ended, a new one started) for a check that
 * finds an agent.
 */
final class EligibilitySweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EligibilitySweep.class);
    /** How often the waiting calls are looked at: the longest delay between a check falling due and its being made. */
    static final Duration EVERY = Duration.ofSeconds(5);

    private final Set<QueueWait> waits = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("queue-eligibility").factory());

    EligibilitySweep(Clock clock) {
        this.clock = clock;
        timer.scheduleWithFixedDelay(this::sweepSafely, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A caller starts waiting on this node. */
    void add(QueueWait wait) {
        waits.add(wait);
    }

    /** The caller's wait ended (connected, timed out, hung up, ...). */
    void remove(QueueWait wait) {
        waits.remove(wait);
    }

    /** The calls waiting now (tests). */
    int size() {
        return waits.size();
    }

    /** One pass: the calls whose check is due are checked. One pass at a time (the timer's and a test's). */
    synchronized void sweep() {
        Instant now = clock.instant();
        for (QueueWait w : waits) {
            try {
                w.checkEligibility(now);
            } catch (RuntimeException e) {
                LOG.warn("queue {}: whether someone could still serve call {} not checked: {}", w.req.queue(),
                        dev.ivr.server.logging.LogText.callId(w.req.callId()), e.toString());
            }
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("eligibility sweep: {}", e.toString()); // a scheduled task that throws is not run again
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
