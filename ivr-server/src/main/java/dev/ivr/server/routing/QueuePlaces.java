package dev.ivr.server.routing;

import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A caller's place in a queue outlives the server that queued it: the waiting record in the cluster is the source of
 * truth. When the dialplan brings a call back after its server died (the flow resumes at its {@code route} node on
 * another server), the call takes over its record ({@link RoutingService#adopt}): the same place, the original
 * enqueue time for priority aging, the queue's maximum wait and the reports.
 */
final class QueuePlaces {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);
    /** How long a resumed call waits for the cluster to find its old server gone before it queues afresh. */
    static final Duration OLD_OWNER_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);

    private QueuePlaces() {
    }

    /**
     * Takes over the call's waiting record if the cluster has one.
     *
     * @return when the call first joined the queue; empty when it has no record to take over (a new call, or one
     * whose place was given up): it is queued afresh
     */
    static Optional<Instant> takeOver(RoutingService router, String callId, Clock clock) throws InterruptedException {
        long deadline = System.nanoTime() + OLD_OWNER_WAIT.toNanos();
        while (true) {
            Optional<QueuePosition> adopted = router.adopt(callId);
            if (adopted.isPresent()) {
                QueuePosition p = adopted.get();
                Instant since = clock.instant().minus(p.waited());
                LOG.info("resumed in queue {} at position {} of {}, waiting since {} ({} s)", p.queueId(), p.position(),
                        p.waiting(), since, p.waited().toSeconds());
                return Optional.of(since);
            }
            if (router.position(callId).isEmpty()) {
                return Optional.empty();
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("the call's place in the queue is still held by its previous server: queued afresh");
                return Optional.empty();
            }
            // its old server has not been found gone yet (or is letting go of it)
            Thread.sleep(POLL.toMillis());
        }
    }
}
