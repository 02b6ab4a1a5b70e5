package dev.ivr.server.pbx;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.logging.LogText;
import org.asteriskjava.manager.event.AbstractHoldEvent;
import org.asteriskjava.manager.event.HoldEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.UnholdEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Journals an agent putting its call on hold and taking it off ({@link JournalEvent.Type#CALL_HOLD},
 * {@link JournalEvent.Type#CALL_UNHOLD} with the hold's length), from Asterisk's AMI {@code Hold} and {@code Unhold}
 * events. Asterisk raises them on the channel that asked for the hold ({@code ast_queue_hold} in main/channel.c, which
 * chan_pjsip calls when the phone re-invites with {@code sendonly}/{@code inactive}): the agent's channel, whose name
 * ({@code PJSIP/1001-0000002a}) gives the endpoint of an agent who is ON_CALL; the event carries the agent's call id
 * and queue from the router. A hold still open when the agent's talk ends is closed then (reason
 * {@code call-ended}): the hold is part of the talk, never longer.
 * <p>
 * Every server connected to the PBX sees the same AMI events: the events' ids are derived from the channel's
 * {@code Uniqueid} and the number of holds on it before, so the servers write the same ids and the journal keeps one
 * (a server connected in the middle of a call may number its holds differently: then a hold counts twice). The AMI
 * events and the router's are handled in the order they came, on one thread of this class's own (the journal's append
 * waits for the disk; neither the manager connection's reader nor Hazelcast's event thread should).
 */
public final class AmiHolds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmiHolds.class);
    /** Why a hold ended without an Unhold: the talk ended first. */
    public static final String CALL_ENDED = "call-ended";

    /** A hold in progress on an agent's channel. */
    private record Open(String agent, String callId, String queue, Instant at, String uniqueId, int n) {
    }

    private final RoutingService router;
    private final Journal journal;
    private final String server;
    private final Clock clock;
    private final Predicate<String> mine;
    /** Holds in progress, by the agent's channel's unique id. */
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    /** How many holds each agent channel of a call in progress had (the next hold's number). */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** The agent's channel unique ids of the current talk, by agent (forgotten when the talk ends). */
    private final Map<String, java.util.Set<String>> channels = new ConcurrentHashMap<>();
    private final RoutingService.Subscription subscription;
    /** Where the events are handled, one at a time and in order. */
    private final Executor work;

    /**
     * @param mine whether an agent's endpoint is on this PBX (with several PBXs, each journals its own agents' holds)
     * @param work runs the handling of each event, one at a time, in order
     */
    AmiHolds(AmiConnection ami, RoutingService router, Journal journal, String server, Clock clock,
             Predicate<String> mine, Executor work) {
        this.router = router;
        this.journal = journal;
        this.server = server;
        this.clock = clock;
        this.mine = mine;
        this.work = work;
        ami.addListener(this::onEvent);
        this.subscription = router.subscribe(e -> {
            if (e instanceof RoutingEvent.AgentStateChanged c && c.from() == AgentState.ON_CALL) {
                work.execute(() -> talkEnded(c.agentId(), c.at()));
            }
        });
    }

    /** Starts journaling the holds of the agents on this connection's PBX. */
    public static AmiHolds start(AmiConnection ami, RoutingService router, Journal journal, String server,
                                 Predicate<String> mine) {
        return new AmiHolds(ami, router, journal, server, Clock.systemUTC(), mine,
                Executors.newSingleThreadExecutor(Thread.ofVirtual().name("ami-holds").factory()));
    }

    void onEvent(ManagerEvent e) {
        if (!(e instanceof AbstractHoldEvent h) || h.getChannel() == null || h.getUniqueId() == null) {
            return;
        }
        Instant at = clock.instant();
        if (e instanceof HoldEvent) {
            work.execute(() -> held(h.getChannel(), h.getUniqueId(), at));
        } else if (e instanceof UnholdEvent) {
            work.execute(() -> unheld(h.getUniqueId(), at, null));
        }
    }

    private void held(String channel, String uniqueId, Instant now) {
        if (open.containsKey(uniqueId)) {
            return; // Asterisk says Hold again for a re-invite while held: one hold
        }
        Optional<Agent> agent = agentOf(channel);
        if (agent.isEmpty()) {
            return; // not an agent's channel, or the agent is not on a call from the router
        }
        Agent a = agent.get();
        int n = counts.merge(uniqueId, 1, Integer::sum) - 1;
        channels.computeIfAbsent(a.id(), k -> ConcurrentHashMap.newKeySet()).add(uniqueId);
        open.put(uniqueId, new Open(a.id(), a.callId(), a.queueId(), now, uniqueId, n));
        journal.emit(new JournalEvent(id(uniqueId, n, "hold"), now, JournalEvent.Type.CALL_HOLD, a.callId(), null, null,
                a.queueId(), a.id(), null, null, null, server));
        LOG.info("agent {}: call {} on hold ({})", a.id(), a.callId(), LogText.escape(channel));
    }

    private void unheld(String uniqueId, Instant at, String reason) {
        Open o = open.remove(uniqueId);
        if (o == null) {
            return; // a hold not seen here (before this server connected) or already closed at the talk's end
        }
        long ms = Math.max(0, Duration.between(o.at(), at).toMillis());
        journal.emit(new JournalEvent(id(uniqueId, o.n(), "unhold"), at, JournalEvent.Type.CALL_UNHOLD, o.callId(), null,
                null, o.queue(), o.agent(), ms, null, reason, server));
        LOG.info("agent {}: call {} off hold after {} ms{}", o.agent(), o.callId(), ms,
                reason == null ? "" : " (" + reason + ")");
    }

    /** The agent's talk ended: a hold still open ends with it; the channel's hold count is forgotten. */
    private void talkEnded(String agentId, Instant at) {
        java.util.Set<String> ids = channels.remove(agentId);
        if (ids == null) {
            return;
        }
        for (String uniqueId : ids) {
            unheld(uniqueId, at, CALL_ENDED);
            counts.remove(uniqueId);
        }
    }

    /** The ON_CALL agent whose endpoint the channel belongs to ({@code PJSIP/1001-0000002a}: PJSIP/1001). */
    private Optional<Agent> agentOf(String channel) {
        int dash = channel.lastIndexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        String endpoint = channel.substring(0, dash);
        return router.agents().stream().filter(a -> a.state() == AgentState.ON_CALL && a.callId() != null
                && a.endpoint().equalsIgnoreCase(endpoint) && mine.test(a.endpoint())).findFirst();
    }

    /** The same id on every server that sees the event: the channel, its hold's number, hold or unhold. */
    static String id(String uniqueId, int n, String what) {
        return UUID.nameUUIDFromBytes(("ami-" + what + ":" + uniqueId + ":" + n).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Override
    public void close() {
        subscription.close();
        if (work instanceof ExecutorService s) {
            s.shutdownNow();
        }
    }
}
