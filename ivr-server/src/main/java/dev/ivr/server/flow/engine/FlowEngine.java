package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallFailedException;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.model.PromptRef;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.SpeechInput;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs flows on calls. One call runs on one thread, through its {@link CallChannel} only, on
 * the {@link FlowSet} that was current when it started. After each node the position and
 * variables are checkpointed (secrets excluded); a call that arrives with the unique id of a
 * checkpoint resumes there. At the end, one {@link Interaction} goes to the CRM store.
 */
public final class FlowEngine {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);
    static final String ALL_KEYS = "0123456789*#";
    /** Nodes run in a row with no caller input before the call is ended as a runaway loop. */
    static final int MAX_NODES_WITHOUT_INPUT = 200;

    private final Supplier<FlowSet> flows;
    private final PromptAudio audio;
    private final CrmStore crm;
    private final CallRouter router;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final String nodeName;
    private final SpeechInput speech;
    private final LanguageByDnis byDnis;
    private final Set<String> warnedSilent = ConcurrentHashMap.newKeySet();
    private final JumpSteps jumps = new JumpSteps();
    private final RecordingSteps recordings = new RecordingSteps();
    private final HoursStep hours;
    private final RouteStep route;

    /** @param router null when no routing is configured: route nodes then take their failure edge */
    public FlowEngine(Supplier<FlowSet> flows, PromptAudio audio, CrmStore crm, CallRouter router,
                      Checkpoints checkpoints, Clock clock, String nodeName) {
        this(flows, audio, crm, router, checkpoints, clock, nodeName, SpeechInput.NONE);
    }

    /**
     * @param speech speech input for listen nodes and menus with speech ({@link SpeechInput#NONE}: menus take
     *               keys only, listen nodes take their on-error edge)
     */
    public FlowEngine(Supplier<FlowSet> flows, PromptAudio audio, CrmStore crm, CallRouter router,
                      Checkpoints checkpoints, Clock clock, String nodeName, SpeechInput speech) {
        this(flows, audio, crm, router, checkpoints, clock, nodeName, speech, LanguageByDnis.NONE);
    }

    /** @param byDnis the language a call starts in by the number dialled ({@code languages.by-dnis}) */
    public FlowEngine(Supplier<FlowSet> flows, PromptAudio audio, CrmStore crm, CallRouter router,
                      Checkpoints checkpoints, Clock clock, String nodeName, SpeechInput speech, LanguageByDnis byDnis) {
        this.byDnis = byDnis == null ? LanguageByDnis.NONE : byDnis;
        this.speech = speech == null ? SpeechInput.NONE : speech;
        this.flows = flows;
        this.audio = audio;
        this.crm = crm;
        this.router = router == null ? CallRouter.NONE : router;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.nodeName = nodeName;
        this.hours = new HoursStep(clock);
        this.route = new RouteStep(this.router, audio);
    }

    /** Whether a flow of that name is served now. */
    public boolean serves(String flowName) {
        return flows.get().flow(flowName).isPresent();
    }

    /** Runs (or resumes) the call in flow {@code flowName}. */
    public CallSummary run(CallChannel channel, String flowName) {
        return run(channel, flowName, CallObserver.NONE);
    }

    public CallSummary run(CallChannel channel, String flowName, CallObserver observer) {
        FlowSet set = flows.get();
        Flow flow = set.flow(flowName).orElseThrow(() -> new IllegalArgumentException("no flow named " + flowName));
        CallState st = resume(set, channel, flowName).orElse(null);
        if (st == null) {
            st = new CallState(channel.info(), clock.instant());
            st.stack.push(new CallState.Frame(flow, flow.start(), new LinkedHashMap<>(flow.variables()), null));
            if (!flow.languages().contains(st.language)) {
                st.setLanguage(flow.languages().get(0));
            }
        }
        Run run = new Run(set, channel, st, observer);
        try {
            channel.answer();
            if (st.resumedFrom == null) {
                run.languageByDnis(flow);
                run.readChannelVariables(flow);
            }
            run.syncChannelLanguage();
            run.loop();
            finish(run, null);
        } catch (CallerHungUpException e) {
            if (st.outcome == null) {
                st.outcome = st.inQueue ? Interaction.Outcome.ABANDONED_IN_QUEUE : Interaction.Outcome.ABANDONED_IN_IVR;
            }
            finish(run, null);
            throw e;
        } catch (CallFailedException e) {
            st.outcome = Interaction.Outcome.FAILED;
            finish(run, e); // the checkpoint stays: the dialplan may bring the call to another server
            throw e;
        } catch (RuntimeException e) {
            st.outcome = Interaction.Outcome.FAILED;
            finish(run, null);
            throw e;
        }
        return run.summary;
    }

    /**
     * Renders, behind everything calls wait for, the prompts that speak to these customers by
     * name (greetings, "thank you, Anna"), in the language each would hear, so that their calls
     * find them ready: names are known before people call. Only prompts whose variables are all
     * the customer's.
     *
     * @return how many distinct texts were handed to the renderer
     */
    public int prerenderCustomerPrompts(List<dev.ivr.server.crm.Customer> customers) {
        FlowSet set = flows.get();
        Set<String> seen = new java.util.HashSet<>();
        for (dev.ivr.server.crm.Customer c : customers) {
            for (Flow f : set.flows().values()) {
                String lang = c.language() != null && f.languages().contains(c.language()) ? c.language()
                        : f.languages().get(0);
                Map<String, Object> customer = CallState.customerMap(c, 1);
                customer.put("name", CallState.nameIn(lang, c.firstName(), c.lastName(), c.language(),
                        (String) customer.get("name")));
                Map<String, Object> activation = Map.of("customer", customer);
                f.promptTexts().forEach((langAndId, template) -> {
                    String src = template.source();
                    if (!langAndId.startsWith(lang + "/") || !src.contains("customer.") || OTHER_MAPS.matcher(src).find()) {
                        return;
                    }
                    set.prompts().find(langAndId.substring(lang.length() + 1), lang).ifPresent(entry -> {
                        try {
                            String text = template.render(activation);
                            if (seen.add(lang + "\n" + text)) {
                                audio.prerender(entry, text);
                            }
                        } catch (EvalException e) {
                            // needs more than the customer: rendered when it is said
                        }
                    });
                });
            }
        }
        return seen.size();
    }

    private static final java.util.regex.Pattern OTHER_MAPS = java.util.regex.Pattern.compile(
            "\\$\\{[^}]*\\b(call|auth|inputs)\\b");

    private Optional<CallState> resume(FlowSet set, CallChannel channel, String flowName) {
        String callId = channel.info().uniqueId();
        Optional<String> saved = checkpoints.load(callId);
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder();
        Optional<CallState> st = CallState.fromJson(saved.get(), channel.info(), set, why);
        if (st.isEmpty()) {
            LOG.warn("call {} has a checkpoint but cannot resume ({}): starting '{}' over", callId, why, flowName);
        } else {
            LOG.info("resuming call at node '{}' of flow '{}' (checkpointed by {}; {} nodes done)",
                    st.get().frame().node, st.get().frame().flow.name(), st.get().resumedFrom, st.get().path.size());
            checkpoints.save(callId, st.get().toJson(nodeName)); // this server has the call now (LostCallRecorder)
        }
        return st;
    }

    private void finish(Run run, CallFailedException failure) {
        CallState st = run.st;
        if (failure == null) {
            checkpoints.delete(st.info.uniqueId());
        }
        if (st.outcome == null) {
            st.outcome = Interaction.Outcome.SELF_SERVED;
        }
        Map<String, String> inputs = new LinkedHashMap<>(st.inputs); // secrets already masked
        Flow bottom = st.stack.isEmpty() ? null : st.stack.getLast().flow;
        Interaction interaction = new Interaction(st.info.uniqueId(), st.info.ani(), st.info.dnis(),
                bottom == null ? st.info.script() : bottom.name(), bottom == null ? null : bottom.version(),
                st.start, clock.instant(), st.path, inputs, st.customerId, st.authOutcome, st.queue, st.agentId,
                st.waitTime, st.talkTime, st.outcome, nodeName);
        try {
            crm.record(interaction);
        } catch (RuntimeException e) {
            LOG.error("interaction not recorded: {}", e.toString());
        }
        if (failure == null && !run.channel.isHungUp()) {
            try {
                run.channel.setVariable("IVR_OUTCOME", st.outcome.name());
                if (!st.handedToDialplan) {
                    run.channel.setVariable("IVR_STATUS", "OK"); // the flow ran to its end: no fallback
                }
            } catch (RuntimeException e) {
                // the caller is gone: fine
            }
        }
        LOG.info("flow ended: {} after {} nodes", st.outcome, st.path.size());
        run.summary = new CallSummary(List.copyOf(st.path), st.stack.isEmpty() ? Map.of() : Map.copyOf(nullSafe(st.frame().vars)),
                Map.copyOf(inputs), st.customer, st.auth, interaction);
        run.observer.ended(run.summary);
    }

    private static Map<String, Object> nullSafe(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "null" : v));
        return out;
    }

    /** One call being run: its state, its channel, and the helpers the node steps share. */
    final class Run {
        final FlowSet set;
        final CallChannel channel;
        final CallState st;
        final CallObserver observer;
        CallSummary summary;
        /** The language Asterisk's channel has (its own sounds: SAY DIGITS, voicemail, ...). */
        String channelLanguage;

        Run(FlowSet set, CallChannel channel, CallState st, CallObserver observer) {
            this.set = set;
            this.channel = channel;
            this.st = st;
            this.observer = observer;
            this.channelLanguage = channel.info().language();
        }

        /**
         * Gives the channel the call's language ({@code CHANNEL(language)}), so that Asterisk's own
         * sounds (numbers it says, voicemail) speak it too; Asterisk writes {@code en-GB} as {@code en_GB}.
         */
        void syncChannelLanguage() {
            String lang = st.language == null ? null : st.language.replace('-', '_');
            if (lang != null && !lang.equals(channelLanguage)) {
                channel.setVariable("CHANNEL(language)", lang);
                channelLanguage = lang;
            }
        }

        void readChannelVariables(Flow flow) {
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = (Map<String, Object>) st.call.get("vars");
            for (String v : flow.channelVariables()) {
                vars.put(v, channel.getVariable(v).orElse(""));
            }
        }

        void loop() {
            while (true) {
                CallState.Frame f = st.frame();
                Node node = f.flow.node(f.node);
                if (node == null) {
                    throw new IllegalStateException("flow '" + f.flow.name() + "' has no node '" + f.node + "'");
                }
                st.path.add(st.stack.size() > 1 ? f.flow.name() + "/" + node.id() : node.id());
                observer.node(f.flow.name(), node);
                if (++st.nodesSinceInput > MAX_NODES_WITHOUT_INPUT) {
                    LOG.error("flow '{}' ran {} nodes without caller input (at '{}'): ending the call", f.flow.name(),
                            MAX_NODES_WITHOUT_INPUT, node.id());
                    st.outcome = Interaction.Outcome.FAILED;
                    channel.hangup();
                    return;
                }
                if (node.info().log() != null) {
                    LOG.info("[{}] {}", node.id(), LogText.escape(render(node.info().log(), node))); // caller-supplied values in it
                }
                if (node.takesInput()) {
                    st.nodesSinceInput = 0;
                }
                Next next = execute(node);
                if (!channel.isHungUp()) {
                    syncChannelLanguage();
                }
                if (next.end()) {
                    return;
                }
                if (next.node() != null) {
                    st.frame().node = next.node();
                }
                checkpoints.save(st.info.uniqueId(), st.toJson(nodeName));
            }
        }

        Next execute(Node node) {
            return switch (node) {
                case Node.Say n -> {
                    Optional<Character> key = say(n.prompt(), n.bargeIn() ? ALL_KEYS : "", node);
                    key.ifPresent(this::typeAhead);
                    yield Next.to(n.next());
                }
                case Node.Play n -> {
                    observer.prompt(n.transcript() != null ? n.transcript() : "[sound: " + n.sound() + "]", null);
                    channel.play(n.sound(), n.bargeIn() ? ALL_KEYS : "").ifPresent(this::typeAhead);
                    yield Next.to(n.next());
                }
                case Node.Menu n -> menu(n);
                case Node.Collect n -> collect(n);
                case Node.Listen n -> listen(n);
                case Node.SetVars n -> set(n);
                case Node.Branch n -> {
                    for (Node.Condition c : n.conditions()) {
                        if (test(c.test(), node)) {
                            yield Next.to(c.next());
                        }
                    }
                    yield Next.to(n.otherwise());
                }
                case Node.Goto n -> jumps.go(n, this);
                case Node.Subflow n -> jumps.enter(n, this);
                case Node.Return n -> jumps.leave(n, this);
                case Node.Hours n -> hours.run(n, this);
                case Node.Identify n -> identify(n);
                case Node.Authenticate n -> authenticate(n);
                case Node.Route n -> route.run(n, this);
                case Node.Transfer n -> transfer(n);
                case Node.Voicemail n -> recordings.voicemail(n, this);
                case Node.Record n -> recordings.record(n, this);
                case Node.Hangup n -> {
                    if (n.outcome() != null) {
                        st.outcome = Interaction.Outcome.valueOf(n.outcome().toUpperCase().replace('-', '_'));
                    }
                    observer.event("hangs up");
                    finishOutcomeBeforeHangup();
                    channel.hangup();
                    yield Next.END;
                }
            };
        }

        private void finishOutcomeBeforeHangup() {
            if (st.outcome == null) {
                st.outcome = Interaction.Outcome.SELF_SERVED;
            }
            try {
                channel.setVariable("IVR_OUTCOME", st.outcome.name());
                channel.setVariable("IVR_STATUS", "OK");
            } catch (CallerHungUpException e) {
                // gone already
            }
        }

        // ----------------------------------------------------------- prompts

        /**
         * Says a prompt; returns the key that stopped it (only keys in {@code escapes}). While the
         * prompt is rendered the caller hears a short silence that keys end: a key that may stop
         * the prompt is returned (the prompt is skipped: the caller has answered); any other key
         * is kept as typed ahead for the next input, and the prompt plays once it is ready.
         */
        Optional<Character> say(PromptRef ref, String escapes, Node node) {
            if (ref == null) {
                return Optional.empty();
            }
            Flow flow = st.frame().flow;
            String lang = flow.languages().contains(st.language) ? st.language : flow.languages().get(0);
            String text;
            CompletableFuture<Optional<String>> pending;
            PromptEntry fallback = null;
            if (ref.id() != null) {
                PromptEntry entry = set.prompts().find(ref.id(), lang).orElse(null);
                fallback = entry == null || entry.fallback() == null ? null
                        : set.prompts().find(entry.fallback(), lang).orElse(null);
                if (entry == null) {
                    LOG.warn("prompt '{}' missing in language {}: skipped", ref.id(), lang);
                    return Optional.empty();
                }
                Template t = flow.promptText(lang, ref.id());
                text = t == null ? null : render(t, node);
                observer.prompt(text == null ? "[" + ref.id() + "]" : text, ref.id());
                pending = audio.prepare(entry, text);
            } else {
                text = render(ref.text(), node);
                observer.prompt(text, null);
                pending = text.isBlank() ? CompletableFuture.completedFuture(Optional.empty()) : audio.prepareText(text, lang);
            }
            if (!pending.isDone()) {
                Optional<Character> key = awaitRender(pending, escapes);
                if (key.isPresent()) {
                    return key;
                }
            }
            Optional<String> file = pending.join(); // within the latency budget
            if (file.isEmpty() && fallback != null) {
                // the generic version rather than silence (a greeting with the caller's name not rendered in time)
                Template ft = flow.promptText(lang, fallback.id());
                file = audio.forPrompt(fallback, ft == null ? fallback.text() : render(ft, node));
                if (file.isPresent()) {
                    LOG.info("prompt '{}' ({}) not ready in time: its fallback '{}' said instead", ref.id(), lang,
                            fallback.id());
                }
            }
            if (file.isEmpty()) {
                String what = ref.id() != null ? "prompt '" + ref.id() + "'" : "text of node '" + node.id() + "'";
                if (warnedSilent.add(flow.name() + "/" + flow.version() + "/" + lang + "/" + what)) {
                    LOG.warn("{} ({}) has no audio now (no recording, no speech): skipped", what, lang);
                }
                return Optional.empty();
            }
            return channel.play(file.get(), escapes);
        }

        /**
         * Waits for a prompt being rendered with the waiting sound playing, so keys are not lost
         * (Asterisk drops keys while no command runs). A key in {@code escapes} is returned at once;
         * others are kept as typed ahead.
         */
        private Optional<Character> awaitRender(CompletableFuture<Optional<String>> pending, String escapes) {
            Optional<String> sound = audio.waitingSound();
            while (sound.isPresent() && !pending.isDone()) {
                Optional<Character> key = channel.playUntil(sound.get(), ALL_KEYS, pending);
                if (key.isEmpty()) {
                    break; // rendered, or the sound ended: wait for the rest of the budget
                }
                if (escapes.indexOf(key.get()) >= 0 && st.typeAhead.isEmpty()) {
                    observer.event("key " + key.get() + " while the prompt was rendered: prompt skipped");
                    return key;
                }
                typeAhead(key.get());
            }
            return Optional.empty();
        }

        void typeAhead(char key) {
            st.typeAhead = st.typeAhead + key;
        }

        private Optional<Character> takeTypeAhead() {
            if (st.typeAhead.isEmpty()) {
                return Optional.empty();
            }
            char k = st.typeAhead.charAt(0);
            st.typeAhead = st.typeAhead.substring(1);
            return Optional.of(k);
        }

        // -------------------------------------------------------------- menu

        Next menu(Node.Menu n) {
            int failures = 0;
            while (true) {
                String lang = language();
                boolean speechOn = speechOn(n.speech(), lang);
                Optional<Character> key = takeTypeAhead();
                if (key.isEmpty()) {
                    PromptRef prompt = speechOn && n.speech().prompt() != null ? n.speech().prompt() : n.prompt();
                    key = say(prompt, n.bargeIn() ? ALL_KEYS : "", n).or(this::takeTypeAhead);
                }
                String notUnderstood = null;
                if (key.isEmpty() && speechOn) {
                    // keys still work: any key ends listening and counts as the answer
                    ListenResult r = speech.listen(channel, new ListenRequest(lang, n.speech().phrases().list(lang),
                            n.timeout(), ALL_KEYS));
                    switch (r.outcome()) {
                        case KEY -> key = Optional.of(r.key().charAt(0));
                        case SPEECH -> {
                            String option = n.speech().phrases().value(lang, r.text());
                            if (option == null || r.confidence() < n.speech().minConfidence()) {
                                notUnderstood = heard(r) + (option == null ? "" : ", below min-confidence");
                            } else {
                                observer.event("caller said " + heard(r));
                                key = Optional.of(option.charAt(0));
                            }
                        }
                        case NO_MATCH -> notUnderstood = r.detail();
                        case NO_INPUT -> { }
                        case HANGUP -> throw new CallerHungUpException();
                        case ERROR -> {
                            st.speechOff = true;
                            LOG.warn("[{}] speech unavailable ({}): keys only for the rest of the call", n.id(), r.detail());
                            observer.event("speech unavailable: keys only");
                            key = channel.waitForDigit(n.timeout());
                        }
                    }
                } else if (key.isEmpty()) {
                    key = channel.waitForDigit(n.timeout());
                }
                if (key.isPresent() && n.options().containsKey(String.valueOf(key.get()))) {
                    String k = String.valueOf(key.get());
                    observer.event("caller chose " + k);
                    st.input(n.into(), k, false);
                    return Next.to(n.options().get(k));
                }
                Node.Reprompt r = key.isEmpty() && notUnderstood == null ? n.noInput() : n.invalid();
                observer.event(notUnderstood != null ? "not understood (" + notUnderstood + ")"
                        : key.isEmpty() ? "no input" : "invalid key " + key.get());
                Next after = afterFailure(++failures, n.retries(), n.fallback(), r, n);
                if (after != null) {
                    return after;
                }
            }
        }

        /**
         * After a failed attempt of a menu, listen or collect node: its fallback once the retries
         * are used up, else the reprompt's own next node; otherwise the reprompt is said and null
         * means ask again.
         */
        private Next afterFailure(int failures, int retries, String fallback, Node.Reprompt reprompt, Node node) {
            if (failures > retries) {
                observer.event("retries used up");
                return Next.to(fallback);
            }
            if (reprompt != null && reprompt.next() != null) {
                return Next.to(reprompt.next());
            }
            if (reprompt != null) {
                say(reprompt.prompt(), "", node);
            }
            return null;
        }

        // ------------------------------------------------------------ speech

        /** The language prompts and speech use now: the call's, when the flow offers it. */
        String language() {
            Flow flow = st.frame().flow;
            return flow.languages().contains(st.language) ? st.language : flow.languages().get(0);
        }

        /** Whether a menu listens too: it has phrases for the language, which has a model, and speech has not failed. */
        boolean speechOn(Node.MenuSpeech ms, String lang) {
            return ms != null && !st.speechOff && ms.phrases().has(lang) && speech.modelStatus(lang).available();
        }

        static String heard(ListenResult r) {
            return "\u201c" + r.text() + "\u201d (" + Math.round(r.confidence() * 100) + "%)";
        }

        Next listen(Node.Listen n) {
            int failures = 0;
            String keys = String.join("", n.keys().keySet());
            while (true) {
                String lang = language();
                Optional<Character> key = takeTypeAhead().filter(k -> keys.indexOf(k) >= 0);
                if (key.isEmpty()) {
                    key = say(n.prompt(), n.bargeIn() ? keys : "", n).or(() -> takeTypeAhead().filter(k -> keys.indexOf(k) >= 0));
                }
                ListenResult r = key.isPresent() ? ListenResult.key(key.get()) : speech.listen(channel,
                        new ListenRequest(lang, n.phrases().list(lang), n.timeout(), keys, n.endSilence(), n.maxDuration()));
                String notUnderstood = null;
                switch (r.outcome()) {
                    case KEY -> {
                        String target = n.keys().get(r.key());
                        if (target != null) {
                            observer.event("caller pressed " + r.key());
                            st.answer(n.into(), "", r.key(), 1.0, r.key());
                            return Next.to(target);
                        }
                        notUnderstood = "key " + r.key();
                    }
                    case SPEECH -> {
                        String value = n.phrases().freeText() ? r.text() : n.phrases().value(lang, r.text());
                        if (value == null || r.confidence() < n.minConfidence()) {
                            notUnderstood = heard(r) + (value == null ? "" : ", below min-confidence");
                        } else {
                            observer.event("caller said " + heard(r) + (value.equals(r.text()) ? "" : ": " + value));
                            st.answer(n.into(), r.text(), value, r.confidence(), "");
                            String option = n.options().get(value);
                            return Next.to(option != null ? option : n.next());
                        }
                    }
                    case NO_MATCH -> notUnderstood = r.detail();
                    case NO_INPUT -> { }
                    case HANGUP -> throw new CallerHungUpException();
                    case ERROR -> {
                        String to = n.onError() != null ? n.onError() : n.fallback();
                        LOG.warn("[{}] cannot listen ({}): going to '{}'", n.id(), r.detail(), to);
                        observer.event("speech unavailable (" + r.detail() + ")");
                        return Next.to(to);
                    }
                }
                observer.event(notUnderstood == null ? "no input" : "not understood (" + notUnderstood + ")");
                Node.Reprompt rp = notUnderstood == null ? n.noInput() : n.noMatch();
                Next after = afterFailure(++failures, n.retries(), n.fallback(), rp, n);
                if (after != null) {
                    return after;
                }
            }
        }

        // ----------------------------------------------------------- collect

        /** Digits typed after a prompt: up to max, ended by the terminator or a pause; empty on silence. */
        String digits(PromptRef prompt, boolean bargeIn, int max, String terminator, Duration first, Duration between,
                      Node node) {
            StringBuilder sb = new StringBuilder();
            Optional<Character> key = takeTypeAhead();
            if (key.isEmpty()) {
                key = say(prompt, bargeIn ? ALL_KEYS : "", node).or(this::takeTypeAhead);
            }
            if (key.isEmpty()) {
                key = channel.waitForDigit(first);
            }
            while (key.isPresent()) {
                char k = key.get();
                if (!terminator.isEmpty() && terminator.indexOf(k) >= 0) {
                    break;
                }
                sb.append(k);
                if (sb.length() >= max) {
                    break;
                }
                key = takeTypeAhead();
                if (key.isEmpty()) {
                    key = channel.waitForDigit(between);
                }
            }
            return sb.toString();
        }

        Next collect(Node.Collect n) {
            int failures = 0;
            while (true) {
                String value = digits(n.prompt(), n.bargeIn(), n.maxLength(), n.terminator(), n.timeout(),
                        n.interDigitTimeout(), n);
                String problem = value.isEmpty() ? null : invalid(n, value);
                if (!value.isEmpty() && problem == null) {
                    st.input(n.into(), value, n.secret());
                    observer.event("collected " + n.into() + " = " + (n.secret() ? CallState.MASK : value));
                    return Next.to(n.next());
                }
                Node.Reprompt r = value.isEmpty() ? n.noInput() : n.invalid();
                observer.event(value.isEmpty() ? "no input" : "invalid input (" + problem + ")");
                Next after = afterFailure(++failures, n.retries(), n.fallback(), r, n);
                if (after != null) {
                    return after;
                }
            }
        }

        private String invalid(Node.Collect n, String value) {
            if (value.length() < n.minLength()) {
                return "shorter than " + n.minLength();
            }
            if (n.pattern() != null && !n.pattern().matcher(value).matches()) {
                return "does not match the pattern";
            }
            if (n.luhn() && !Luhn.valid(value)) {
                return "fails the Luhn check";
            }
            if (n.condition() != null) {
                Map<String, Object> a = st.activation();
                a.put("value", value);
                try {
                    if (!n.condition().test(a)) {
                        return "fails the condition";
                    }
                } catch (EvalException e) {
                    LOG.warn("[{}] validation condition failed: {}", n.id(), e.getMessage());
                    return "fails the condition";
                }
            }
            return null;
        }

        // --------------------------------------------------------------- set

        Next set(Node.SetVars n) {
            for (Map.Entry<String, Expr> e : n.vars().entrySet()) {
                st.frame().vars.put(e.getKey(), eval(e.getValue(), n));
            }
            if (n.language() != null) {
                String lang = render(n.language(), n).trim();
                if (lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                    switchLanguage(lang);
                    observer.event("language " + lang);
                } else {
                    LOG.warn("[{}] '{}' is not a language code: language stays {}", n.id(), lang, st.language);
                }
            }
            for (Map.Entry<String, Template> e : n.channel().entrySet()) {
                channel.setVariable(e.getKey(), render(e.getValue(), n).replaceAll("[\\r\\n]", " "));
            }
            return Next.to(n.next());
        }

        /** The language the dialled number starts the call in ({@code languages.by-dnis}), where the flow offers it. */
        void languageByDnis(Flow flow) {
            String dnis = st.info.dnis();
            byDnis.languageFor(dnis).ifPresent(lang -> {
                if (flow.languages().contains(lang)) {
                    switchLanguage(lang);
                    observer.event("language " + lang + " (dialled number)");
                } else {
                    LOG.info("languages.by-dnis gives {} for the dialled number, which flow '{}' does not offer: the call"
                            + " stays in {}", lang, flow.name(), st.language);
                }
            });
        }

        /**
         * The call's language from now on: prompts, voice, speech, the agent's language skill, and
         * Asterisk's own sounds (CHANNEL(language): voicemail, SAY DIGITS) follow it.
         */
        void switchLanguage(String lang) {
            if (!lang.equals(st.language)) {
                st.setLanguage(lang);
                syncChannelLanguage();
            }
        }

        // ----------------------------------------------------------------- crm

        Next identify(Node.Identify n) {
            String number = n.number() == null ? (String) st.call.get("ani") : render(n.number(), n);
            Identification id = st.info.aniWithheld() && n.number() == null
                    ? Identification.of(Identification.Status.WITHHELD) : crm.identify(number);
            if (id.status() == Identification.Status.IDENTIFIED && !id.customers().isEmpty()) {
                st.customer = CallState.customerMap(id.customers().get(0), 1);
                st.customerId = id.customers().get(0).id();
                if (st.customer.get("language") instanceof String l && !l.isBlank()
                        && st.frame().flow.languages().contains(l)) {
                    switchLanguage(l);
                    observer.event("language " + l + " (customer record)");
                }
                st.setLanguage(st.language); // customer.name as the call's language says it
            } else if (id.status() == Identification.Status.AMBIGUOUS) {
                st.customer.put("matches", (long) id.customers().size());
            }
            observer.event("identify: " + id.status() + (st.customerId == null ? "" : " (customer " + st.customerId + ")"));
            if (st.customerId != null) {
                prefetchCustomerPrompts();
            }
            String outcome = id.status().name().toLowerCase();
            return Next.to(n.outcomes().target(outcome));
        }

        /**
         * The caller is known: the prompts that speak to them by name (greetings, "thank you,
         * Anna") start rendering now, before the flow reaches them.
         */
        private void prefetchCustomerPrompts() {
            String lang = language();
            for (Flow f : set.flows().values()) {
                f.promptTexts().forEach((langAndId, template) -> {
                    if (!langAndId.startsWith(lang + "/") || !template.source().contains("customer.")) {
                        return;
                    }
                    set.prompts().find(langAndId.substring(lang.length() + 1), lang).ifPresent(entry -> {
                        try {
                            audio.prefetch(entry, template.render(st.activation()));
                        } catch (EvalException e) {
                            // a prompt that needs more than is known yet: rendered when it is said
                        }
                    });
                });
            }
        }

        Next authenticate(Node.Authenticate n) {
            String account = null;
            for (int attempt = 1; attempt <= n.attempts(); attempt++) {
                if (account == null || n.account() == null) {
                    account = n.account() != null ? render(n.account(), n).trim()
                            : digits(n.accountPrompt(), true, n.accountMaxLength(), "#", n.timeout(), Duration.ofSeconds(3), n);
                }
                String pin = account.isEmpty() ? "" : digits(n.pinPrompt(), true, n.pinMaxLength(), "#", n.timeout(),
                        Duration.ofSeconds(3), n);
                Authentication a;
                if (account.isEmpty() || pin.isEmpty()) {
                    observer.event("authenticate: no input");
                    a = null;
                } else {
                    a = crm.authenticate(account, pin, st.info.uniqueId());
                    observer.event("authenticate account " + account + ": " + a.status());
                }
                if (a != null && a.status() != Authentication.Status.FAILED) {
                    return authResult(n, a, account);
                }
                st.auth.put("status", "FAILED");
                st.auth.put("account", account);
                st.auth.put("attempts_left", a == null ? (long) (n.attempts() - attempt) : (long) a.attemptsLeft());
                st.authOutcome = "FAILED";
                if (a != null && a.attemptsLeft() <= 0) {
                    break;
                }
                if (attempt < n.attempts()) {
                    say(n.failedPrompt(), "", n);
                }
            }
            return Next.to(n.outcomes().target("failed"));
        }

        private Next authResult(Node.Authenticate n, Authentication a, String account) {
            st.authOutcome = a.status().name();
            st.auth.put("status", a.status().name());
            st.auth.put("account", account);
            st.auth.put("attempts_left", (long) a.attemptsLeft());
            st.auth.put("ok", a.status() == Authentication.Status.OK);
            if (a.status() == Authentication.Status.OK && a.customer() != null) {
                st.customer = CallState.customerMap(a.customer(), 1);
                st.customerId = a.customer().id();
                st.setLanguage(st.language); // customer.name as the call's language says it
            }
            return Next.to(n.outcomes().target(a.status().name().toLowerCase()));
        }

        // ------------------------------------------------------------ transfer

        Next transfer(Node.Transfer n) {
            String to = safe(render(n.to(), n), "[A-Za-z0-9*#+_-]+");
            observer.event("transfer to " + to + "@" + n.context());
            int r = channel.exec("Dial", "Local/" + to + "@" + n.context() + "," + Math.max(1, n.timeout().toSeconds()));
            String status;
            try {
                status = channel.getVariable("DIALSTATUS").orElse("");
            } catch (CallerHungUpException e) {
                status = ""; // the caller's channel is gone and the PBX no longer answers: the outcome is unknown
            }
            observer.event("dial status " + (status.isEmpty() ? "unknown" : status));
            if (status.equals("ANSWER")) {
                st.outcome = Interaction.Outcome.TRANSFERRED;
                return r == -1 || n.next() == null ? Next.END : Next.to(n.next());
            }
            if (r == -1) {
                throw new CallerHungUpException();
            }
            if (n.onFailure() != null) {
                return Next.to(n.onFailure());
            }
            st.outcome = Interaction.Outcome.FAILED;
            return Next.END;
        }

        // ----------------------------------------------------------- helpers

        String render(Template t, Node node) {
            try {
                return t.render(st.activation());
            } catch (EvalException e) {
                LOG.warn("[{}] {}", node.id(), e.getMessage());
                return "";
            }
        }

        Object eval(Expr e, Node node) {
            try {
                return e.eval(st.activation());
            } catch (EvalException ex) {
                LOG.warn("[{}] {}: the value is null", node.id(), ex.getMessage());
                return null;
            }
        }

        boolean test(Expr e, Node node) {
            try {
                return e.test(st.activation());
            } catch (EvalException ex) {
                LOG.warn("[{}] {}: taken as false", node.id(), ex.getMessage());
                return false;
            }
        }
    }

    /** Keeps only what may go into a dialplan argument (no commas, pipes, quotes, newlines). */
    static String safe(String s, String allowed) {
        StringBuilder sb = new StringBuilder();
        for (String part : s.split("")) {
            if (part.matches(allowed)) {
                sb.append(part);
            }
        }
        return sb.toString();
    }
}
