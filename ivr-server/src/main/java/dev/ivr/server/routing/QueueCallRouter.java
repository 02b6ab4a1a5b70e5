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
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code route} node's router: queues the call in the routing library and keeps the caller
 * company until an agent is reserved, then connects them.
 *
 * <p>Waiting is a loop of short ticks: music on hold ({@code SET MUSIC on}), then
 * {@code WAIT FOR DIGIT} for up to a tick, then a check of the reservation for the rest of the
 * tick. A key or the caller's hang-up ends {@code WAIT FOR DIGIT} at once, whatever the tick;
 * an offer is picked up at the end of the tick. So the tick adapts to the call's place in the
 * queue: one second near the head, where an offer is close, longer further back, where it is
 * not ({@link #tickFor}): thousands of waiting callers then cost the server and the PBX a
 * fraction of the commands.
 * Announcements (the node's prompt, then position and estimated wait) interrupt the music every
 * {@code every}. An agent reserved: the context is built and stored, the agent's desktop pops,
 * the agent leg's variables are set and the agent is dialled ({@code EXEC Dial} with the ring
 * time, the pre-dial handler and the answer subroutine), or, in dial mode {@code dialplan}, the
 * AGI hands over to the dialplan. Not answered: the agent becomes not ready and the call is back
 * at the head of its queue, offered to the next agent while the caller keeps waiting.
 */
public final class QueueCallRouter implements CallRouter {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCallRouter.class);
    /** How long one wait for a key lasts: the latency of offers, keys and hang-ups while waiting. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** The longest tick, for calls far from the head of their queue. */
    static final Duration LONG_TICK = Duration.ofSeconds(5);
    /** Every how many ticks a waiting call checks that someone could still serve it (a pass over the agents). */
    private static final int ELIGIBILITY_TICKS = 10;
    /** How long the caller has to confirm a callback after its prompt. */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final RoutingService router;
    private final Map<String, QueueDefinition> queues;
    private final boolean dialplanMode;
    private final String musicClass;
    private final Map<String, Boolean> matchLanguage;
    private final AgentLeg agentLeg;
    private final ContextFactory contexts;
    private final CallContexts callContexts;
    private final ContextTokens tokens;
    private final ScreenPops screenPops;
    private final Offers offers;
    private final Answers answers;
    private final CallbackDispatcher callbacks;
    private final DialplanWatch dialplanWatch;
    private final QueueVoice voice;
    private final Clock clock;
    private final String nodeName;

    /**
     * @param router     the routing library
     * @param settings   the queues, their language matching and music
     * @param connector  what connecting the agent's leg takes
     * @param voice      what the caller hears while waiting
     * @param callbacks  callbacks a caller asks for while waiting
     */
    QueueCallRouter(RoutingService router, QueueSettings settings, AgentConnector connector, QueueVoice voice,
                    CallbackDispatcher callbacks, Clock clock) {
        this.router = router;
        this.queues = settings.queues();
        this.matchLanguage = settings.matchLanguage();
        this.musicClass = settings.musicClass();
        this.dialplanMode = connector.dialplanMode();
        this.agentLeg = connector.agentLeg();
        this.contexts = connector.contexts();
        this.callContexts = connector.callContexts();
        this.tokens = connector.tokens();
        this.screenPops = connector.screenPops();
        this.offers = connector.offers();
        this.answers = connector.answers();
        this.dialplanWatch = connector.dialplanWatch();
        this.nodeName = connector.nodeName();
        this.callbacks = callbacks;
        this.voice = voice;
        this.clock = clock;
    }

    @Override
    public RouteResult route(RouteRequest req, CallChannel channel) {
        QueueDefinition queue = queues.get(req.queue());
        if (queue == null) {
            LOG.error("[{}] no queue '{}' is configured (routing.queues); known: {}", req.node(), req.queue(),
                    new java.util.TreeSet<>(queues.keySet()));
            return new RouteResult.Failed("no queue '" + req.queue() + "' is configured");
        }
        CallRequest call = callRequest(req);
        if (!router.anyAgentCouldServe(call, req.maxWait())) {
            LOG.info("queue {}: no logged-in agent could take this call (skills {}, language {})", req.queue(),
                    call.requiredSkills(), call.language());
            return new RouteResult.NoAgents();
        }
        Instant enqueuedAt = clock.instant();
        try {
            enqueue(call);
        } catch (RoutingException e) {
            LOG.error("queue {}: the call cannot be queued: {}", req.queue(), e.getMessage());
            return new RouteResult.Failed(e.getMessage());
        }
        return new Wait(req, channel, queue, call, enqueuedAt).run();
    }

    private void enqueue(CallRequest call) {
        try {
            QueuePosition p = router.enqueue(call);
            LOG.info("queued in {} at position {} of {} (skills {}, priority {})", call.queueId(), p.position(),
                    p.waiting(), call.requiredSkills(), call.priority());
        } catch (RoutingException e) {
            if (e.reason() != RoutingException.Reason.DUPLICATE_CALL) {
                throw e;
            }
            // a call resumed on this node after an earlier route of it was interrupted: start its wait afresh
            router.cancel(call.callId());
            router.enqueue(call);
        }
    }

    private CallRequest callRequest(RouteRequest req) {
        CallRequest.Builder b = CallRequest.builder(req.callId(), req.queue()).priority(req.priority());
        req.skills().forEach(b::skill);
        if (matchLanguage.getOrDefault(req.queue(), true) && req.language() != null) {
            b.language(req.language());
        }
        String preferred = req.context().get("preferred-agent");
        if (preferred != null && !preferred.isBlank()) {
            b.preferredAgent(preferred);
        }
        return b.build();
    }

    /** What an offer to an agent came to. */
    private enum OfferOutcome { CONNECTED, HANDED_OVER, CALLER_GONE, NOT_ANSWERED }

    /**
     * How long a waiting call's {@code WAIT FOR DIGIT} lasts: one second within the first ten
     * places of the queue (or before the position is known), two seconds up to place fifty, five
     * seconds beyond. Keys and hang-ups end it at once; only picking up an offer waits for it.
     */
    static Duration tickFor(QueuePosition position) {
        if (position == null || position.position() <= 10) {
            return TICK;
        }
        return position.position() <= 50 ? Duration.ofSeconds(2) : LONG_TICK;
    }

    private final class Wait {
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
        long ticks;
        Duration waitTime;
        Duration talkTime;
        /** What a watcher saw while an announcement played (an offer): taken at the top of the loop. */
        WaitResult seenDuringAnnouncement;
        /** While an announcement plays: completes when an agent is reserved (the announcement is cut short); else null. */
        CompletableFuture<Void> offeredNow;

        Wait(RouteRequest req, CallChannel ch, QueueDefinition queue, CallRequest call, Instant enqueuedAt) {
            this.req = req;
            this.ch = ch;
            this.queue = queue;
            this.call = call;
            this.enqueuedAt = enqueuedAt;
            RouteRequest.Announcement a = req.announcement();
            this.music = a != null && a.music() != null && !a.music().isBlank() ? a.music() : musicClass;
            StringBuilder keys = new StringBuilder();
            req.waitKeys().forEach(keys::append);
            if (req.callback() != null) {
                keys.append(req.callback().key());
            }
            this.escapes = keys.toString();
            this.nextAnnouncement = enqueuedAt;
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
                    screenPops.ended(offering.agentId(), req.callId(), "caller-hangup");
                    offers.remove(req.callId());
                }
                if (queued) {
                    try {
                        router.cancel(req.callId()); // at once: no agent is offered a call whose caller left
                    } catch (RuntimeException e) {
                        LOG.warn("call not removed from queue {}: {}", req.queue(), e.toString());
                    }
                }
            }
        }

        private RouteResult loop() throws InterruptedException {
            Duration rest = Duration.ZERO;
            while (true) {
                WaitResult w = seenDuringAnnouncement != null ? seenDuringAnnouncement : router.awaitAgent(req.callId(), rest);
                seenDuringAnnouncement = null;
                switch (w) {
                    case WaitResult.Offered o -> {
                        OfferOutcome out = offer(o.reservation());
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
                Duration waited = waited();
                if (waited.compareTo(req.maxWait()) >= 0) {
                    LOG.info("queue {}: no agent within the node's max-wait of {} s", req.queue(), req.maxWait().toSeconds());
                    return new RouteResult.TimedOut(waited);
                }
                if (++ticks % ELIGIBILITY_TICKS == 0
                        && !router.anyAgentCouldServe(call, req.maxWait())) {
                    LOG.info("queue {}: every agent who could take the call logged out", req.queue());
                    return new RouteResult.NoAgents();
                }
                Optional<Character> key = Optional.empty();
                if (req.announcement() != null && !clock.instant().isBefore(nextAnnouncement)) {
                    key = announceWatchingForAnAgent();
                    nextAnnouncement = clock.instant().plus(req.announcement().every());
                    if (key.isEmpty() && seenDuringAnnouncement != null) {
                        rest = Duration.ZERO;
                        continue; // an agent was reserved meanwhile: the announcement stopped, connect now
                    }
                }
                long t0 = System.nanoTime();
                Duration tick = tickFor(position);
                if (key.isEmpty()) {
                    music(true);
                    key = ch.waitForDigit(tick);
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
                rest = tick.minusNanos(System.nanoTime() - t0);
                if (rest.isNegative()) {
                    rest = Duration.ZERO;
                }
            }
        }

        Duration waited() {
            Duration d = Duration.between(enqueuedAt, clock.instant());
            return d.isNegative() ? Duration.ZERO : d;
        }

        private void music(boolean on) {
            if (on != musicOn) {
                ch.musicOnHold(on, on ? music : null);
                musicOn = on;
            }
        }

        /**
         * Announces while a watcher waits for an agent: when one is reserved, the prompt being played
         * is cut short (the offer is then made at once, not after the announcement's last word).
         */
        private Optional<Character> announceWatchingForAnAgent() throws InterruptedException {
            CompletableFuture<Void> offered = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicReference<WaitResult> seen = new java.util.concurrent.atomic.AtomicReference<>();
            String callId = req.callId();
            java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
            Thread watcher = Thread.ofVirtual().name("queue-watch-" + callId).start(() -> {
                if (mdc != null) {
                    org.slf4j.MDC.setContextMap(mdc);
                }
                try {
                    while (!offered.isDone()) {
                        WaitResult w = router.awaitAgent(callId, Duration.ofMillis(500));
                        if (!(w instanceof WaitResult.Waiting)) {
                            seen.set(w);
                            offered.complete(null);
                        }
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // the announcement is over (or the cluster went away: the main loop finds out)
                }
            });
            offeredNow = offered;
            try {
                return announce();
            } finally {
                offeredNow = null;
                boolean reserved = offered.isDone();
                offered.complete(null);
                watcher.interrupt();
                watcher.join();
                if (reserved) {
                    seenDuringAnnouncement = seen.get();
                    if (seenDuringAnnouncement instanceof WaitResult.Offered) {
                        LOG.info("an agent was reserved during the announcement: it stopped");
                    }
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
                QueuePosition p = position != null ? position : router.position(req.callId()).orElse(null);
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
                key = play(voice.count(minutes, QueueVoice.MINUTE_NOUN, req.language()), minutes);
            }
            if (key.isEmpty()) {
                key = say(minutes == 1 ? QueueVoice.MINUTE : QueueVoice.MINUTES);
            }
            LOG.debug("announced position {} and about {} minute(s) in {}", p.position(), minutes, lang);
            return key;
        }

        private Optional<Character> say(String promptId) {
            Optional<String> file = voice.prompt(promptId, req.language());
            if (file.isEmpty()) {
                LOG.debug("prompt {} has no audio in {}: skipped", promptId, req.language());
                return Optional.empty();
            }
            return announcePart(file.get());
        }

        private Optional<Character> sayNumber(long n) {
            return play(voice.number(n, req.language()), n);
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
            if (!callbacks.available()) {
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
                key = ch.waitForDigit(CONFIRM_TIMEOUT);
            }
            if (key.isEmpty() || key.get() != cb.confirmKey()) {
                LOG.info("callback not confirmed: the caller keeps waiting");
                return Optional.empty();
            }
            queued = false; // the dispatcher owns the queued call from now on
            Instant now = clock.instant();
            callbacks.adopt(new CallbackDispatcher.Callback(req, call, cb.number(), enqueuedAt, now));
            LOG.info("callback to {} confirmed after {} s in queue {}: the call keeps its place", cb.number(),
                    waited().toSeconds(), req.queue());
            return Optional.of(new RouteResult.CallbackScheduled(cb.number(), waited()));
        }

        // ------------------------------------------------------------ the offer

        private OfferOutcome offer(Reservation r) {
            offering = r;
            OfferOutcome outcome = offerTo(r);
            offering = null;
            return outcome;
        }

        private OfferOutcome offerTo(Reservation r) {
            String callId = req.callId();
            CallContext ctx = contexts.build(req, r, enqueuedAt, clock.instant(), false);
            callContexts.put(ctx);
            offers.put(Offers.Offer.of(r, dialplanMode ? Offers.Mode.DIALPLAN : Offers.Mode.EXEC, nodeName));
            screenPops.offered(r.agentId(), ctx);
            LOG.info("offered to agent {} ({}), offer {}, after {} s in queue {}", r.agentId(), r.endpoint(), r.offer(),
                    waited().toSeconds(), req.queue());
            if (!AgentLeg.dialable(r.endpoint())) {
                LOG.error("agent {} has an endpoint Dial cannot take: '{}'", r.agentId(), AgentLeg.clean(r.endpoint()));
                return notAnswered(r, "invalid-endpoint");
            }
            music(false);
            AgentLeg.variables(ctx, tokens.token(callId)).forEach((name, value) -> ch.setVariable("__" + name, value));
            if (dialplanMode) {
                ch.setVariable(AgentLeg.DIAL_ENDPOINT, r.endpoint());
                ch.setVariable(AgentLeg.DIAL_TIMEOUT, Long.toString(AgentLeg.ringSeconds(r)));
                ch.setVariable(AgentLeg.DIAL_OPTIONS, agentLeg.dialOptions());
                ch.setVariable(AgentLeg.STATUS, "ROUTE");
                queued = false; // the dialplan dials; its reports (or the watch) end the offer
                dialplanWatch.watch(r);
                connectedAgent = r.agentId();
                waitTime = waited();
                return OfferOutcome.HANDED_OVER;
            }
            int rc = ch.exec("Dial", agentLeg.dialArguments(r));
            String status;
            try {
                status = ch.getVariable("DIALSTATUS").orElse("");
            } catch (CallerHungUpException e) {
                status = "";
            }
            if (status.equals("ANSWER")) {
                Instant end = clock.instant();
                // the talk time runs from the agent's answer, which the answer subroutine reported (on
                // any node); Dial's ANSWEREDTIME would count from the caller's answer (IVR and queue too)
                Optional<Instant> reported = answers.answeredAt(callId);
                Instant answeredAt = reported.orElse(end);
                if (reported.isEmpty()) {
                    LOG.warn("agent {} answered, but no answer report came (routing.answer-handler '{}' in the "
                            + "dialplan?): the talk time is unknown", r.agentId(), agentLeg.answerHandler());
                    answers.confirm(callId, end);
                }
                talkTime = reported.map(a -> Duration.between(a, end)).orElse(null);
                queued = false;
                router.callEnded(r);
                screenPops.ended(r.agentId(), callId, "completed");
                offers.remove(callId);
                connectedAgent = r.agentId();
                waitTime = Duration.between(enqueuedAt, answeredAt);
                if (waitTime.isNegative()) {
                    waitTime = Duration.ZERO;
                }
                LOG.info("agent {} talked {}", r.agentId(), talkTime == null ? "(unknown)" : talkTime.toSeconds() + " s");
                return OfferOutcome.CONNECTED;
            }
            if (rc == -1 || status.equals("CANCEL") || ch.isHungUp()) {
                queued = false;
                router.cancel(callId); // the agent is free again at once
                screenPops.ended(r.agentId(), callId, "caller-hangup");
                offers.remove(callId);
                LOG.info("caller hung up while agent {} was ringing", r.agentId());
                return OfferOutcome.CALLER_GONE;
            }
            return notAnswered(r, status.isEmpty() ? "failed" : status.toLowerCase(java.util.Locale.ROOT));
        }

        private OfferOutcome notAnswered(Reservation r, String reason) {
            boolean held = router.offerFailed(r, reason);
            screenPops.ended(r.agentId(), req.callId(), reason);
            offers.remove(req.callId());
            LOG.info("agent {} did not take the call ({}): agent not ready, call back at the head of the queue{}",
                    r.agentId(), reason, held ? "" : " (the reservation had already ended)");
            return OfferOutcome.NOT_ANSWERED;
        }
    }
}
