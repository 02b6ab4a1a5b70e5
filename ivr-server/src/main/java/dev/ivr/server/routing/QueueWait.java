package dev.ivr.server.routing;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.routing.QueueCallRouter.OfferOutcome;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One caller waiting in a queue, on the call's own thread: the wait loop (one wait for a key per quiet stretch, cut
 * by an offer; keys, hang-ups), music and announcements, the callback offer; an agent the library reserved is
 * connected by {@link AgentConnector#offer}.
 */
final class QueueWait {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);
    /** Where the cut of an announcement runs: off the thread that ran the routing's watch. */
    private static final Executor CUT = r -> Thread.ofVirtual().name("queue-announcement-cut").start(r);

    final QueueCallRouter owner;
    final RouteRequest req;
    final CallChannel ch;
    final QueueDefinition queue;
    final CallRequest call;
    final Instant enqueuedAt;
    final String music;
    final String escapes;
    boolean queued = true;
    boolean musicOn;
    Instant nextAnnouncement;
    QueuePosition position;
    String connectedAgent;
    /** The offer being made, until its outcome is reported: ended on the desktop if the call breaks off. */
    Reservation offering;
    /** When the sweep next checks that someone could still serve the call ({@link EligibilitySweep}'s thread only). */
    Instant nextEligibilityCheck;
    /** The sweep found that nobody could serve the call any more: the loop leaves with NoAgents. */
    volatile boolean nobodyCanServe;
    /** The sweep's check failed in the routing (a queue gone): the loop fails with it, as it did on its own thread. */
    volatile RoutingException eligibilityFailure;
    /** While a wait for a key runs: completing it cuts the wait (as an offer does); else null. */
    volatile CompletableFuture<Void> waitCut;
    Duration waitTime;
    Duration talkTime;
    /** The call stopped waiting while an announcement played (an offer): asked at once at the top of the loop. */
    boolean stoppedDuringAnnouncement;
    /** The consult this wait finds an agent for, or null (a caller waiting for an agent of their own). */
    ConsultLeg consult;
    /** While an announcement plays: completes when an agent is reserved (the announcement is cut short); else null. */
    CompletableFuture<Void> offeredNow;

    QueueWait(QueueCallRouter owner, RouteRequest req, CallChannel ch, QueueDefinition queue, CallRequest call, Instant enqueuedAt) {
        this.owner = owner;
        this.req = req;
        this.ch = ch;
        this.queue = queue;
        this.call = call;
        this.enqueuedAt = enqueuedAt;
        RouteRequest.Announcement a = req.announcement();
        this.music = a != null && a.music() != null && !a.music().isBlank() ? a.music() : owner.musicClass;
        StringBuilder keys = new StringBuilder();
        req.waitKeys().forEach(keys::append);
        if (req.callback() != null) {
            keys.append(req.callback().key());
        }
        this.escapes = keys.toString();
        this.nextAnnouncement = enqueuedAt;
        this.nextEligibilityCheck = enqueuedAt.plus(QueueCallRouter.ELIGIBILITY_EVERY);
    }

    RouteResult run() {
        owner.eligibility.add(this);
        try {
            return loop();
        } catch (CallerHungUpException e) {
            LOG.info("caller hung up after {} s in queue {}", waited().toSeconds(), req.queue());
            return new RouteResult.CallerHungUp(waited());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RouteResult.Failed("interrupted");
        } catch (RoutingException e) {
            LOG.error("queue {}: routing failed: {}", req.queue(), e.getMessage());
            return new RouteResult.Failed(e.getMessage());
        } finally {
            owner.eligibility.remove(this);
            if (offering != null) {
                owner.screenPops.ended(offering.agentId(), req.callId(), "caller-hangup");
                owner.offers.remove(req.callId());
            }
            if (queued) {
                try {
                    owner.router.cancel(req.callId()); // at once: no agent is offered a call whose caller left
                } catch (RuntimeException e) {
                    LOG.warn("call not removed from queue {}: {}", req.queue(), e.toString());
                }
            }
        }
    }

    private RouteResult loop() throws InterruptedException {
        Duration rest = Duration.ZERO;
        while (true) {
            WaitResult w = owner.router.awaitAgent(req.callId(), rest);
            switch (w) {
                case WaitResult.Offered o -> {
                    OfferOutcome out = owner.connector.offer(this, o.reservation());
                    switch (out) {
                        case CONNECTED -> {
                            return new RouteResult.Connected(connectedAgent, waitTime, talkTime);
                        }
                        case HANDED_OVER -> {
                            return new RouteResult.HandedToDialplan(connectedAgent, waitTime);
                        }
                        case CALLER_GONE -> {
                            return new RouteResult.CallerHungUp(waited());
                        }
                        case NOT_ANSWERED -> {
                            rest = Duration.ZERO;
                            continue; // back at the head of the queue: the next agent, or keep waiting
                        }
                    }
                }
                case WaitResult.MaxWaitReached m -> {
                    queued = false;
                    LOG.info("queue {}: maximum wait of the queue reached after {} s (target {})", req.queue(),
                            m.waited().toSeconds(), m.target());
                    return new RouteResult.TimedOut(m.waited());
                }
                case WaitResult.Removed r -> {
                    queued = false;
                    LOG.warn("queue {}: the call was removed from the queue ({})", req.queue(), r.reason());
                    return new RouteResult.Failed("removed from the queue: " + r.reason());
                }
                case WaitResult.Waiting p -> position = p.position();
            }
            if (consult != null && consult.cancelled()) {
                LOG.info("queue {}: the consult was cancelled", req.queue());
                return new RouteResult.Failed("consult cancelled");
            }
            Duration waited = waited();
            if (waited.compareTo(req.maxWait()) >= 0) {
                LOG.info("queue {}: no agent within the node's max-wait of {} s", req.queue(), req.maxWait().toSeconds());
                return new RouteResult.TimedOut(waited);
            }
            if (eligibilityFailure != null) {
                throw eligibilityFailure;
            }
            if (nobodyCanServe) {
                LOG.info("queue {}: every agent who could take the call logged out", req.queue());
                return new RouteResult.NoAgents();
            }
            Optional<Character> key = Optional.empty();
            if (req.announcement() != null && !owner.clock.instant().isBefore(nextAnnouncement)) {
                key = announceWatchingForAnAgent();
                nextAnnouncement = owner.clock.instant().plus(req.announcement().every());
                if (key.isEmpty() && stoppedDuringAnnouncement) {
                    rest = Duration.ZERO;
                    continue; // an agent was reserved meanwhile: the announcement stopped, connect now
                }
            }
            long t0 = System.nanoTime();
            Duration stretch = quietStretch();
            if (key.isEmpty() && !nobodyCanServe) {
                music(true);
                key = waitWatchingForAnAgent(stretch);
            }
            if (key.isPresent()) {
                char k = key.get();
                if (req.waitKeys().contains(String.valueOf(k))) {
                    LOG.info("caller pressed {} after {} s in queue {}", k, waited().toSeconds(), req.queue());
                    music(false);
                    return new RouteResult.KeyPressed(k, waited());
                }
                if (req.callback() != null && k == req.callback().key()) {
                    Optional<RouteResult> cb = callback();
                    if (cb.isPresent()) {
                        return cb.get();
                    }
                }
            }
            // a wait that ended early (a key; a PBX that does not wait out silence): the rest of a tick for an offer
            Duration tick = QueueCallRouter.tickFor(position);
            rest = (tick.compareTo(stretch) < 0 ? tick : stretch).minusNanos(System.nanoTime() - t0);
            if (rest.isNegative() || nobodyCanServe || eligibilityFailure != null) {
                rest = Duration.ZERO;
            }
        }
    }

    /**
     * How long the next wait for a key lasts: until the next announcement or the node's maximum wait, in whole
     * seconds, at least a {@link QueueCallRouter#TICK} (a tick for a consult, whose cancel is seen at the top of the
     * loop). An agent reserved meanwhile, the queue's maximum wait, a call removed from the queue and the sweep finding
     * that nobody could serve the call any more ({@link EligibilitySweep}) cut it ({@link #waitWatchingForAnAgent}); a
     * key or the caller's hang-up ends it on the PBX. The check that someone could still serve the call does not end
     * it: the sweep makes that check off this thread.
     */
    Duration quietStretch() {
        if (consult != null) {
            return QueueCallRouter.tickFor(position); // the agent's cancel is no routing change: looked at every tick
        }
        Instant until = enqueuedAt.plus(req.maxWait());
        if (req.announcement() != null && nextAnnouncement.isBefore(until)) {
            until = nextAnnouncement;
        }
        long millis = Duration.between(owner.clock.instant(), until).toMillis();
        long seconds = Math.max(QueueCallRouter.TICK.toSeconds(), (millis + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }

    /**
     * One wait for a key (music on) while the routing watches the call: when an agent is reserved (or the call stops
     * waiting otherwise) the wait is cut at once, as an announcement is ({@link #announceWatchingForAnAgent}), and the
     * loop's next look at the routing finds why. No thread waits for the routing meanwhile. The eligibility sweep
     * cuts it too ({@link #checkEligibility}): {@link #waitCut} is set before {@link #nobodyCanServe} is read, and the
     * sweep sets the flag before it reads the cut, so one of the two sees the other.
     */
    private Optional<Character> waitWatchingForAnAgent(Duration stretch) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        RoutingService.Watch watch = owner.router.watchWaiting(req.callId(),
                () -> CUT.execute(() -> stop.complete(null)));
        waitCut = stop;
        try {
            return watch.fired() || nobodyCanServe || eligibilityFailure != null ? Optional.empty()
                    : ch.waitForDigitUntil(stretch, stop);
        } finally {
            waitCut = null;
            watch.close();
            stop.complete(null);
        }
    }

    /**
     * On {@link EligibilitySweep}'s thread, when the check is due: whether someone could still serve the call (a pass
     * over the local view's agents, no cluster operation). If nobody could, the wait for a key running now is cut (the
     * NOOP written from a virtual thread, as for an offer) and the loop leaves with NoAgents at its next turn; a check
     * that finds someone changes nothing for the caller. An announcement playing meanwhile is not cut: the loop sees
     * the flag after it.
     */
    void checkEligibility(Instant now) {
        if (now.isBefore(nextEligibilityCheck)) {
            return;
        }
        nextEligibilityCheck = now.plus(QueueCallRouter.ELIGIBILITY_EVERY);
        try {
            if (owner.router.anyAgentCouldServe(call, req.maxWait())) {
                return;
            }
            nobodyCanServe = true;
        } catch (RoutingException e) {
            eligibilityFailure = e;
        }
        CompletableFuture<Void> cut = waitCut;
        if (cut != null) {
            CUT.execute(() -> cut.complete(null));
        }
    }

    Duration waited() {
        Duration d = Duration.between(enqueuedAt, owner.clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    void music(boolean on) {
        if (on != musicOn) {
            ch.musicOnHold(on, on ? music : null);
            musicOn = on;
        }
    }

    /**
     * Announces while the routing watches the call: when an agent is reserved (or the call stops waiting otherwise),
     * the prompt being played is cut short (the offer is then made at once, not after the announcement's last word).
     * No thread waits meanwhile: the routing runs the watch's action on the thread that saw the change, and the cut (a
     * NOOP written to the PBX) is handed to a virtual thread from there. A watch is closed, not a future cancelled:
     * a cancelled future makes an exception (and one per stage depending on it) with this thread's stack trace.
     */
    private Optional<Character> announceWatchingForAnAgent() {
        CompletableFuture<Void> offered = new CompletableFuture<>();
        RoutingService.Watch watch = owner.router.watchWaiting(req.callId(),
                () -> CUT.execute(() -> offered.complete(null)));
        offeredNow = offered;
        try {
            return announce();
        } finally {
            offeredNow = null;
            boolean stopped = watch.fired();
            watch.close();
            offered.complete(null);
            stoppedDuringAnnouncement = stopped;
            if (stopped) {
                LOG.info("the call stopped waiting during the announcement (an agent reserved): it stopped");
            }
        }
    }

    /** Plays one part of an announcement (or a prompt); an agent reserved meanwhile cuts an announcement short. */
    private Optional<Character> announcePart(String file) {
        CompletableFuture<Void> offered = offeredNow;
        if (offered == null) {
            return ch.play(file, escapes);
        }
        return offered.isDone() ? Optional.empty() : ch.playUntil(file, escapes, offered);
    }

    /** The node's prompt, then position and estimated wait; a wait key stops it and is returned. */
    private Optional<Character> announce() {
        music(false);
        RouteRequest.Announcement a = req.announcement();
        Optional<Character> key = Optional.empty();
        if (a.file() != null) {
            key = announcePart(a.file());
        }
        if (key.isEmpty() && a.position() && !offeredNow.isDone()) { // offeredNow: set while announcing
            QueuePosition p = position != null ? position : owner.router.position(req.callId()).orElse(null);
            if (p != null) {
                key = sayPosition(p);
            }
        }
        return key;
    }

    /** "You are number 3 in line. The estimated wait is 4 minutes." */
    private Optional<Character> sayPosition(QueuePosition p) {
        String lang = req.language();
        Optional<Character> key = say(QueueVoice.POSITION);
        if (key.isEmpty()) {
            key = sayNumber(p.position());
        }
        if (key.isEmpty()) {
            key = say(QueueVoice.POSITION_END);
        }
        if (key.isPresent()) {
            return key;
        }
        long minutes = (p.estimatedWait().toSeconds() + 59) / 60;
        if (minutes < 1) {
            return say(QueueVoice.WAIT_SHORT);
        }
        key = say(QueueVoice.WAIT);
        if (key.isEmpty()) {
            key = play(owner.voice.count(minutes, QueueVoice.MINUTE_NOUN, req.language()), minutes);
        }
        if (key.isEmpty()) {
            key = say(minutes == 1 ? QueueVoice.MINUTE : QueueVoice.MINUTES);
        }
        LOG.debug("announced position {} and about {} minute(s) in {}", p.position(), minutes, lang);
        return key;
    }

    private Optional<Character> say(String promptId) {
        Optional<String> file = owner.voice.prompt(promptId, req.language());
        if (file.isEmpty()) {
            LOG.debug("prompt {} has no audio in {}: skipped", promptId, req.language());
            return Optional.empty();
        }
        return announcePart(file.get());
    }

    private Optional<Character> sayNumber(long n) {
        return play(owner.voice.number(n, req.language()), n);
    }

    /** A number's segments one after the other; the PBX's own digits when there are none. */
    private Optional<Character> play(Optional<List<String>> files, long n) {
        if (files.isEmpty()) {
            return ch.sayDigits(Long.toString(n), escapes); // the PBX's own sounds, in the channel's language
        }
        for (String file : files.get()) {
            Optional<Character> key = announcePart(file);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    /** The caller asked for a callback: confirm, then hand the queued call to the dispatcher. */
    private Optional<RouteResult> callback() {
        RouteRequest.Callback cb = req.callback();
        music(false);
        if (!owner.callbacks.available()) {
            LOG.warn("callback asked for, but callbacks are unavailable (no AMI connection): the caller keeps waiting");
            say(QueueVoice.CALLBACK_UNAVAILABLE);
            return Optional.empty();
        }
        if (cb.number().isEmpty()) {
            say(QueueVoice.CALLBACK_NO_NUMBER);
            return Optional.empty();
        }
        Optional<Character> key = cb.confirmFile() == null ? Optional.empty()
                : ch.play(cb.confirmFile(), "0123456789*#");
        if (key.isEmpty()) {
            key = ch.waitForDigit(QueueCallRouter.CONFIRM_TIMEOUT);
        }
        if (key.isEmpty() || key.get() != cb.confirmKey()) {
            LOG.info("callback not confirmed: the caller keeps waiting");
            return Optional.empty();
        }
        queued = false; // the dispatcher owns the queued call from now on
        Instant now = owner.clock.instant();
        owner.callbacks.adopt(new CallbackDispatcher.Callback(req, call, cb.number(), enqueuedAt, now,
                ch.info().pbxHint()));
        LOG.info("callback to {} confirmed after {} s in queue {}: the call keeps its place", cb.number(),
                waited().toSeconds(), req.queue());
        return Optional.of(new RouteResult.CallbackScheduled(cb.number(), waited()));
    }
}
