package dev.ivr.server.routing;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.routing.QueueCallRouter.OfferOutcome;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One caller waiting in a queue: the wait loop (one wait for a key per quiet stretch, cut by an offer; keys,
 * hang-ups), music and announcements, the callback offer; an agent the library reserved is connected by
 * {@link AgentConnector#offer}. The call's thread parks once while the caller waits ({@link #awaitTurn}) and is woken
 * only for an offer, a wait key or the callback key, and the end of the wait; between those the wait runs in steps
 * driven by the PBX's replies and the routing's watch, and no thread waits for either.
 */
final class QueueWait {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);
    /** Where the cut of an announcement runs: off the thread that completed the routing's future. */
    private static final Executor CUT = r -> Thread.ofVirtual().name("queue-announcement-cut").start(r);
    /** The wait's looks at the routing, each on a short virtual thread of its own ({@link #next}). */
    private static final java.util.concurrent.ThreadFactory STEPS = Thread.ofVirtual().name("queue-wait").factory();

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
    /** When the call next checks that someone could still serve it. */
    Instant nextEligibilityCheck;
    Duration waitTime;
    Duration talkTime;
    /** The call stopped waiting while an announcement played (an offer): asked at once at the top of the loop. */
    boolean stoppedDuringAnnouncement;
    /** The consult this wait finds an agent for, or null (a caller waiting for an agent of their own). */
    ConsultLeg consult;

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

    /**
     * What the call's thread is woken for. Everything else of the wait (the looks at the routing, music,
     * announcements, the waits for a key, each cut by an offer) runs without it, each step on a short virtual thread of
     * its own or on the one that read the PBX's reply ({@link CallChannel#playUntilLater}): between two commands a
     * waiting caller has no stack.
     */
    private sealed interface Turn {
        /** An agent was reserved: the offer (the agent's leg, Dial) runs on the call's thread. */
        record Offer(Reservation reservation) implements Turn {
        }

        /** The wait is over. */
        record Done(RouteResult result) implements Turn {
        }

        /** A wait key or the callback key: the wait's quiet stretch had begun at {@code since} (nanoTime). */
        record Key(char key, Duration stretch, long since) implements Turn {
        }
    }

    private RouteResult loop() throws InterruptedException {
        Duration rest = Duration.ZERO;
        while (true) {
            switch (awaitTurn(rest)) {
                case Turn.Done d -> {
                    return d.result();
                }
                case Turn.Offer o -> {
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
                        case NOT_ANSWERED -> rest = Duration.ZERO; // back at the head of the queue: the next agent, or keep waiting
                    }
                }
                case Turn.Key k -> {
                    char key = k.key();
                    if (req.waitKeys().contains(String.valueOf(key))) {
                        LOG.info("caller pressed {} after {} s in queue {}", key, waited().toSeconds(), req.queue());
                        music(false);
                        return new RouteResult.KeyPressed(key, waited());
                    }
                    Optional<RouteResult> cb = callback();
                    if (cb.isPresent()) {
                        return cb.get();
                    }
                    rest = restAfter(k.stretch(), k.since());
                }
            }
        }
    }

    /** Completed (by the wait's steps) when the call's thread is needed. */
    private volatile CompletableFuture<Turn> turn;
    /** The call's thread was interrupted: the wait stops at its next step. */
    private volatile boolean abandoned;
    /** What cuts the command being played or waited on (an offer); completed when the call's thread is interrupted. */
    private volatile CompletableFuture<Void> cutNow;
    /** The call's logging MDC, for the wait's steps. */
    private final Map<String, String> mdc = MDC.getCopyOfContextMap();

    /** Runs the wait without the call's thread until something needs it (the call's thread parks once meanwhile). */
    private Turn awaitTurn(Duration rest) throws InterruptedException {
        CompletableFuture<Turn> t = new CompletableFuture<>();
        turn = t;
        next(rest);
        try {
            return t.get();
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            abandoned = true; // one user of the channel at a time: the wait ends its command before the call goes on
            CompletableFuture<Void> cut = cutNow;
            if (cut != null) {
                cut.complete(null);
            }
            try {
                t.join();
            } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
                // interrupted anyway
            }
            throw e;
        }
    }

    private static RuntimeException rethrown(Throwable e) throws InterruptedException {
        e = unwrap(e);
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof InterruptedException ie) {
            throw ie;
        }
        throw new IllegalStateException("queue wait failed: " + e, e);
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The wait's next step, on a virtual thread of its own with the call's MDC. */
    private void next(Duration rest) {
        STEPS.newThread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                step(rest);
            } finally {
                MDC.clear();
            }
        }).start();
    }

    private void fail(Throwable e) {
        turn.completeExceptionally(unwrap(e));
    }

    /** A look at the routing; then, unless the call's thread is needed, music, an announcement, a wait for a key. */
    private void step(Duration rest) {
        try {
            if (abandoned) {
                turn.complete(new Turn.Done(new RouteResult.Failed("interrupted")));
                return;
            }
            Turn t = look(rest);
            if (t != null) {
                turn.complete(t);
                return;
            }
            if (req.announcement() != null && !owner.clock.instant().isBefore(nextAnnouncement)) {
                announceWatchingForAnAgent().whenComplete((key, e) -> {
                    if (e != null) {
                        fail(e);
                        return;
                    }
                    try {
                        nextAnnouncement = owner.clock.instant().plus(req.announcement().every());
                        if (key.isEmpty() && stoppedDuringAnnouncement) {
                            next(Duration.ZERO); // an agent was reserved meanwhile: the announcement stopped, connect now
                            return;
                        }
                        quiet(key);
                    } catch (Throwable t2) {
                        fail(t2);
                    }
                });
            } else {
                quiet(Optional.empty());
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** The top of the wait: what the routing says (an offer, the end of the wait) and the wait's own limits; or null. */
    private Turn look(Duration rest) throws InterruptedException {
        WaitResult w = owner.router.awaitAgent(req.callId(), rest);
        switch (w) {
            case WaitResult.Offered o -> {
                return new Turn.Offer(o.reservation());
            }
            case WaitResult.MaxWaitReached m -> {
                queued = false;
                LOG.info("queue {}: maximum wait of the queue reached after {} s (target {})", req.queue(),
                        m.waited().toSeconds(), m.target());
                return new Turn.Done(new RouteResult.TimedOut(m.waited()));
            }
            case WaitResult.Removed r -> {
                queued = false;
                LOG.warn("queue {}: the call was removed from the queue ({})", req.queue(), r.reason());
                return new Turn.Done(new RouteResult.Failed("removed from the queue: " + r.reason()));
            }
            case WaitResult.Waiting p -> position = p.position();
        }
        if (consult != null && consult.cancelled()) {
            LOG.info("queue {}: the consult was cancelled", req.queue());
            return new Turn.Done(new RouteResult.Failed("consult cancelled"));
        }
        Duration waited = waited();
        if (waited.compareTo(req.maxWait()) >= 0) {
            LOG.info("queue {}: no agent within the node's max-wait of {} s", req.queue(), req.maxWait().toSeconds());
            return new Turn.Done(new RouteResult.TimedOut(waited));
        }
        if (!owner.clock.instant().isBefore(nextEligibilityCheck)) {
            nextEligibilityCheck = owner.clock.instant().plus(QueueCallRouter.ELIGIBILITY_EVERY);
            if (!owner.router.anyAgentCouldServe(call, req.maxWait())) {
                LOG.info("queue {}: every agent who could take the call logged out", req.queue());
                return new Turn.Done(new RouteResult.NoAgents());
            }
        }
        return null;
    }

    /**
     * Music and one wait for a key (unless the announcement was stopped by a key); then a wait key or the callback
     * key wakes the call's thread, anything else goes on to the next look after the rest of a tick.
     */
    private void quiet(Optional<Character> announcedKey) {
        long since = System.nanoTime();
        Duration stretch = quietStretch();
        CompletableFuture<Optional<Character>> waited = announcedKey.isPresent()
                ? CompletableFuture.completedFuture(announcedKey)
                : musicLater(true).thenCompose(v -> waitWatchingForAnAgent(stretch));
        waited.whenComplete((key, e) -> {
            if (e != null) {
                fail(e);
                return;
            }
            try {
                if (key.isPresent() && (req.waitKeys().contains(String.valueOf(key.get()))
                        || req.callback() != null && key.get() == req.callback().key())) {
                    turn.complete(new Turn.Key(key.get(), stretch, since));
                    return;
                }
                next(restAfter(stretch, since));
            } catch (Throwable t) {
                fail(t);
            }
        });
    }

    /** A wait that ended early (a key; a PBX that does not wait out silence): the rest of a tick, for an offer. */
    private Duration restAfter(Duration stretch, long since) {
        Duration tick = QueueCallRouter.tickFor(position);
        Duration rest = (tick.compareTo(stretch) < 0 ? tick : stretch).minusNanos(System.nanoTime() - since);
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    /**
     * How long the next wait for a key lasts: until the next announcement, the node's maximum wait or the next check
     * that someone could still serve the call, in whole seconds, at least a {@link QueueCallRouter#TICK} (a tick for a
     * consult, whose cancel is seen at the top of the loop). An agent reserved meanwhile, the queue's maximum wait and
     * a call removed from the queue cut it ({@link #waitWatchingForAnAgent}); a key or the caller's hang-up ends it on
     * the PBX.
     */
    Duration quietStretch() {
        if (consult != null) {
            return QueueCallRouter.tickFor(position); // the agent's cancel is no routing change: looked at every tick
        }
        Instant until = enqueuedAt.plus(req.maxWait());
        if (nextEligibilityCheck.isBefore(until)) {
            until = nextEligibilityCheck;
        }
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
     * next look at the routing finds why. No thread waits for the routing or for the PBX meanwhile.
     */
    private CompletableFuture<Optional<Character>> waitWatchingForAnAgent(Duration stretch) {
        CompletableFuture<Void> watch = owner.router.whenNotWaiting(req.callId());
        if (watch.isDone() || abandoned) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Void> stop = new CompletableFuture<>();
        watch.thenRunAsync(() -> stop.complete(null), CUT);
        cutNow = stop;
        if (abandoned) {
            stop.complete(null);
        }
        return ch.waitForDigitUntilLater(stretch, stop).whenComplete((k, e) -> {
            cutNow = null;
            watch.cancel(false);
            stop.complete(null);
        });
    }

    /** Music on or off, without a thread waiting for the PBX's answer. */
    private CompletableFuture<Void> musicLater(boolean on) {
        if (on == musicOn) {
            return CompletableFuture.completedFuture(null);
        }
        return ch.musicOnHoldLater(on, on ? music : null).thenRun(() -> musicOn = on);
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
     * No thread waits meanwhile: the routing completes its future on the thread that saw the change, and the cut (a
     * NOOP written to the PBX) is handed to a virtual thread from there; each part's reply plays the next.
     */
    private CompletableFuture<Optional<Character>> announceWatchingForAnAgent() {
        CompletableFuture<Void> offered = new CompletableFuture<>();
        CompletableFuture<Void> watch = owner.router.whenNotWaiting(req.callId());
        watch.thenRunAsync(() -> offered.complete(null), CUT);
        cutNow = offered;
        if (abandoned) {
            offered.complete(null);
        }
        CompletableFuture<Optional<Character>> played;
        try {
            List<Part> parts = announcement();
            played = musicLater(false).thenCompose(v -> play(parts, 0, offered));
        } catch (RuntimeException e) {
            played = CompletableFuture.failedFuture(e);
        }
        return played.whenComplete((key, e) -> {
            cutNow = null;
            boolean stopped = watch.isDone() && !watch.isCancelled();
            watch.cancel(false);
            offered.complete(null);
            stoppedDuringAnnouncement = stopped;
            if (stopped) {
                LOG.info("the call stopped waiting during the announcement (an agent reserved): it stopped");
            }
        });
    }

    /** One part of an announcement: a file (STREAM FILE, cut by an offer), or digits in the PBX's own sounds. */
    private record Part(String file, String digits) {
    }

    /** The parts from {@code i} on, one after the other, until a key, the end, or an offer. */
    private CompletableFuture<Optional<Character>> play(List<Part> parts, int i, CompletableFuture<Void> offered) {
        if (i == parts.size() || offered.isDone()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Part p = parts.get(i);
        CompletableFuture<Optional<Character>> played;
        if (p.file() != null) {
            played = ch.playUntilLater(p.file(), escapes, offered);
        } else {
            try {
                played = CompletableFuture.completedFuture(ch.sayDigits(p.digits(), escapes)); // not cut, as before
            } catch (RuntimeException e) {
                played = CompletableFuture.failedFuture(e);
            }
        }
        return played.thenCompose(key -> key.isPresent() ? CompletableFuture.completedFuture(key)
                : play(parts, i + 1, offered));
    }

    /** The node's prompt, then position and estimated wait: "You are number 3 in line. The estimated wait is 4 minutes." */
    private List<Part> announcement() {
        RouteRequest.Announcement a = req.announcement();
        List<Part> parts = new ArrayList<>();
        if (a.file() != null) {
            parts.add(new Part(a.file(), null));
        }
        if (a.position()) {
            QueuePosition p = position != null ? position : owner.router.position(req.callId()).orElse(null);
            if (p != null) {
                sayPosition(p, parts);
            }
        }
        return parts;
    }

    private void sayPosition(QueuePosition p, List<Part> parts) {
        say(QueueVoice.POSITION, parts);
        number(owner.voice.number(p.position(), req.language()), p.position(), parts);
        say(QueueVoice.POSITION_END, parts);
        long minutes = (p.estimatedWait().toSeconds() + 59) / 60;
        if (minutes < 1) {
            say(QueueVoice.WAIT_SHORT, parts);
        } else {
            say(QueueVoice.WAIT, parts);
            number(owner.voice.count(minutes, QueueVoice.MINUTE_NOUN, req.language()), minutes, parts);
            say(minutes == 1 ? QueueVoice.MINUTE : QueueVoice.MINUTES, parts);
        }
        LOG.debug("announcing position {} and about {} minute(s) in {}", p.position(), minutes, req.language());
    }

    private void say(String promptId, List<Part> parts) {
        Optional<String> file = owner.voice.prompt(promptId, req.language());
        if (file.isEmpty()) {
            LOG.debug("prompt {} has no audio in {}: skipped", promptId, req.language());
            return;
        }
        parts.add(new Part(file.get(), null));
    }

    /** A number's segments one after the other; the PBX's own digits when there are none. */
    private static void number(Optional<List<String>> files, long n, List<Part> parts) {
        if (files.isEmpty()) {
            parts.add(new Part(null, Long.toString(n))); // the PBX's own sounds, in the channel's language
            return;
        }
        files.get().forEach(f -> parts.add(new Part(f, null)));
    }

    /** The caller asked for a callback: confirm, then hand the queued call to the dispatcher. */
    private Optional<RouteResult> callback() {
        RouteRequest.Callback cb = req.callback();
        music(false);
        if (!owner.callbacks.available()) {
            LOG.warn("callback asked for, but callbacks are unavailable (no AMI connection): the caller keeps waiting");
            sayNow(QueueVoice.CALLBACK_UNAVAILABLE);
            return Optional.empty();
        }
        if (cb.number().isEmpty()) {
            sayNow(QueueVoice.CALLBACK_NO_NUMBER);
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

    /** A system prompt of the caller's language, on the call's thread; skipped when it has no audio. */
    private void sayNow(String promptId) {
        Optional<String> file = owner.voice.prompt(promptId, req.language());
        if (file.isEmpty()) {
            LOG.debug("prompt {} has no audio in {}: skipped", promptId, req.language());
            return;
        }
        ch.play(file.get(), escapes);
    }
}
