package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallFailedException;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.model.PromptRef;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.integration.Integrations;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
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
 * variables are checkpointed (secrets excluded; none as the call comes to a replayable node or a hangup, see
 * {@code Run.checkpointedOnArrival}); a call that arrives with the unique id of a
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
    private final PromptSteps prompts = new PromptSteps();
    private final BranchStep branch = new BranchStep();
    private final CollectStep collect = new CollectStep();
    private final SetStep setVars = new SetStep();
    private final TransferStep transfer = new TransferStep();
    private final HangupStep hangup = new HangupStep();
    private final HoursStep hours;
    private final RouteStep route;
    private final MenuStep menu;
    private final ListenStep listen;
    private final IdentifyStep identify;
    private final AuthenticateStep authenticate;
    private final HttpStep http;
    private final RemindStep remind;
    private volatile dev.ivr.server.call.RecordingPauses recordingPauses = dev.ivr.server.call.RecordingPauses.NONE;

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
        this(flows, audio, crm, router, checkpoints, clock, nodeName, speech, byDnis, Integrations.NONE);
    }

    /** @param integrations the endpoints {@code http} nodes ask ({@link Integrations#NONE}: they take on-error) */
    public FlowEngine(Supplier<FlowSet> flows, PromptAudio audio, CrmStore crm, CallRouter router,
                      Checkpoints checkpoints, Clock clock, String nodeName, SpeechInput speech, LanguageByDnis byDnis,
                      Integrations integrations) {
        this.http = new HttpStep(integrations == null ? Integrations.NONE : integrations);
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
        this.remind = new RemindStep(clock);
        this.route = new RouteStep(this.router, audio);
        this.menu = new MenuStep(this.speech);
        this.listen = new ListenStep(this.speech);
        this.identify = new IdentifyStep(crm, audio);
        this.authenticate = new AuthenticateStep(crm);
    }

    /** Pauses calls' recordings while callers type secrets (authenticate nodes, secret collects). */
    public FlowEngine recordingPauses(dev.ivr.server.call.RecordingPauses pauses) {
        this.recordingPauses = pauses == null ? dev.ivr.server.call.RecordingPauses.NONE : pauses;
        return this;
    }

    /** Where remind nodes book reminders ({@link dev.ivr.server.flow.reminder.Reminders#NONE}, the default: they take on-error). */
    public FlowEngine reminders(dev.ivr.server.flow.reminder.Reminders reminders) {
        remind.reminders(reminders);
        return this;
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
        CallState fresh = new CallState(channel.info(), clock.instant());
        fresh.position.enter(new CallState.Frame(flow, flow.start(), new LinkedHashMap<>(flow.variables()), null));
        if (!flow.languages().contains(fresh.language)) {
            fresh.setLanguage(flow.languages().get(0));
        }
        // where the store can, the look-up for a checkpoint to resume from saves the new call's first one (its claim)
        String callId = channel.info().uniqueId();
        String claim = checkpoints.claims() ? fresh.toJson(nodeName, true) : null;
        Optional<String> saved = claim == null ? checkpoints.load(callId) : checkpoints.loadOrClaim(callId, claim);
        boolean claimed = claim != null && saved.isEmpty(); // the store holds the claim as the call's first checkpoint
        CallState st = saved.flatMap(json -> resume(set, channel, flowName, json)).orElse(fresh);
        Run run = new Run(set, channel, st, observer);
        observer.started(channel.info(), st.frame().flow.name(), st.resumedFrom != null);
        try {
            channel.answer();
            boolean opening = st.resumedFrom == null || st.openingPending;
            boolean changed = opening && run.open(flow);
            run.syncChannelLanguage();
            if (opening && (!claimed || changed)) {
                // before the first node too: a call whose server dies in it (a flow that starts with its route node)
                // is resumed there, and recorded by LostCallRecorder if it never comes back. Not when the claim
                // saved this very state already (the opening changed nothing): that checkpoint, resumed, runs the
                // opening again, which reads what it read here.
                checkpoints.save(st.info.uniqueId(), st.toJson(nodeName));
            }
            run.loop();
            finish(run, null);
        } catch (CallerHungUpException e) {
            st.disposition.outcomeUnlessSet(st.disposition.inQueue ? Interaction.Outcome.ABANDONED_IN_QUEUE
                    : Interaction.Outcome.ABANDONED_IN_IVR);
            finish(run, null);
            throw e;
        } catch (CallFailedException e) {
            st.disposition.outcome(Interaction.Outcome.FAILED);
            finish(run, e); // the checkpoint stays: the dialplan may bring the call to another server
            throw e;
        } catch (RuntimeException e) {
            st.disposition.outcome(Interaction.Outcome.FAILED);
            finish(run, null);
            throw e;
        }
        return run.summary;
    }

    /** The most frequent values of some customer columns (the CRM's {@code mostFrequentValues}). */
    @FunctionalInterface
    public interface FrequentValues {
        List<dev.ivr.server.crm.Customer> mostFrequent(Set<String> columns, int limit);
    }

    /**
     * For each prompt of the flows whose text speaks to the customer through their first name, tier or language
     * only (e.g. {@code Hello ${customer.first_name}}; see {@link #customerColumns}), renders ahead of calls and behind everything calls wait for
     * its variants for the {@code perPrompt} most frequent values of those columns among the customers
     * (with the customer's language where it picks the prompt's language). One look-up per
     * set of columns. One text at a time, each followed by a pause as long as it took, so that these renders
     * use at most half of one CPU however many there are (calls' renders still go first).
     *
     * @return how many distinct texts were handed to the renderer
     * @throws InterruptedException when the server stops meanwhile
     */
    public int prerenderFrequentCustomerPrompts(FrequentValues crm, int perPrompt) throws InterruptedException {
        if (perPrompt <= 0) {
            return 0;
        }
        Map<Set<String>, Boolean> columnSets = new LinkedHashMap<>();
        for (Flow f : flows.get().flows().values()) {
            f.promptTexts().values().forEach(t -> customerColumns(t.source(), f.languages().size() > 1)
                    .ifPresent(cols -> columnSets.put(cols, Boolean.TRUE)));
        }
        int n = 0;
        for (Set<String> cols : columnSets.keySet()) {
            List<dev.ivr.server.crm.Customer> values = crm.mostFrequent(cols, perPrompt);
            n += prerenderCustomerPrompts(values, cols);
        }
        return n;
    }

    private static final java.util.regex.Pattern EXPRESSION = java.util.regex.Pattern.compile("\\$\\{([^}]*)}");
    private static final java.util.regex.Pattern CUSTOMER_FIELD = java.util.regex.Pattern.compile(
            "\\bcustomer\\s*\\.\\s*([A-Za-z_][A-Za-z_0-9]*)");

    /**
     * The CRM columns whose values decide a prompt text (its template's source): the first name, tier and language.
     * Empty when it does not speak to the customer, or uses more (the last name or the full name, nearly every
     * customer's own, so that their most frequent values would each serve a caller or two while grouping millions of
     * them costs the database; the id, attributes, the call, inputs).
     */
    static Optional<Set<String>> customerColumns(String source, boolean multilingualFlow) {
        if (!source.contains("${") || OTHER_MAPS.matcher(source).find()) {
            return Optional.empty();
        }
        Set<String> cols = new java.util.TreeSet<>();
        java.util.regex.Matcher expr = EXPRESSION.matcher(source);
        while (expr.find()) {
            java.util.regex.Matcher m = CUSTOMER_FIELD.matcher(expr.group(1));
            while (m.find()) {
                switch (m.group(1)) {
                    case "first_name", "tier", "language" -> cols.add(m.group(1));
                    default -> { // the last name (alone or in the name) is nearly every customer's own; id, attributes
                        return Optional.empty();
                    }
                }
            }
            if (CUSTOMER_FIELD.matcher(expr.group(1)).replaceAll("").matches("(?s).*\\bcustomer\\b.*")) {
                return Optional.empty(); // the customer map some other way (customer["x"], the whole map)
            }
        }
        if (cols.isEmpty()) {
            return Optional.empty();
        }
        if (multilingualFlow) {
            cols.add("language"); // the customer's language picks the prompt's
        }
        return Optional.of(Set.copyOf(cols));
    }

    /** Waits for the render, then as long again: at most half of one CPU. */
    private static void halfPaced(CompletableFuture<?> rendering) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            rendering.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // another server renders it, or text to speech is down: the next one
        }
        long took = System.nanoTime() - t0;
        if (took > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(took);
        }
    }

    /**
     * Renders the prompts that speak to the customer through exactly the columns {@code cols} (see
     * {@link #customerColumns}) for each of these customers, in the language each would hear; each distinct text once,
     * paced ({@link #halfPaced}).
     */
    private int prerenderCustomerPrompts(List<dev.ivr.server.crm.Customer> customers, Set<String> cols)
            throws InterruptedException {
        FlowSet set = flows.get();
        // the prompts chosen once per flow, not once per customer
        Map<Flow, List<Map.Entry<String, Template>>> chosen = new LinkedHashMap<>();
        for (Flow f : set.flows().values()) {
            boolean multilingual = f.languages().size() > 1;
            List<Map.Entry<String, Template>> texts = f.promptTexts().entrySet().stream()
                    .filter(t -> customerColumns(t.getValue().source(), multilingual).filter(cols::equals).isPresent())
                    .toList();
            if (!texts.isEmpty()) {
                chosen.put(f, texts);
            }
        }
        Set<String> seen = new java.util.HashSet<>();
        for (dev.ivr.server.crm.Customer c : customers) {
            for (Map.Entry<Flow, List<Map.Entry<String, Template>>> fc : chosen.entrySet()) {
                Flow f = fc.getKey();
                String lang = c.language() != null && f.languages().contains(c.language()) ? c.language()
                        : f.languages().get(0);
                Map<String, Object> customer = Caller.customerMap(c, 1);
                customer.put("name", CallState.nameIn(lang, c.firstName(), c.lastName(), c.language(),
                        (String) customer.get("name")));
                Map<String, Object> activation = Map.of("customer", customer);
                for (Map.Entry<String, Template> t : fc.getValue()) {
                    String langAndId = t.getKey();
                    if (!langAndId.startsWith(lang + "/")) {
                        continue;
                    }
                    Optional<PromptEntry> entry = set.prompts().find(langAndId.substring(lang.length() + 1), lang);
                    if (entry.isEmpty()) {
                        continue;
                    }
                    String text;
                    try {
                        text = t.getValue().render(activation);
                    } catch (EvalException e) {
                        continue; // needs more than the customer: rendered when it is said
                    }
                    if (seen.add(lang + "\n" + text)) {
                        halfPaced(audio.prerender(entry.get(), text));
                    }
                }
            }
        }
        return seen.size();
    }

    private static final java.util.regex.Pattern OTHER_MAPS = java.util.regex.Pattern.compile(
            "\\$\\{[^}]*\\b(call|auth|inputs)\\b");

    /** The call's state from its checkpoint {@code saved}, or empty when it cannot be resumed here. */
    private Optional<CallState> resume(FlowSet set, CallChannel channel, String flowName, String saved) {
        String callId = channel.info().uniqueId();
        StringBuilder why = new StringBuilder();
        Optional<CallState> st = CallState.fromJson(saved, channel.info(), set, why);
        if (st.isEmpty()) {
            LOG.warn("call {} has a checkpoint but cannot resume ({}): starting '{}' over", callId, why, flowName);
        } else {
            LOG.info("resuming call at node '{}' of flow '{}' (checkpointed by {}; {} nodes done)",
                    st.get().frame().node, st.get().frame().flow.name(), st.get().resumedFrom, st.get().position.path().size());
            // this server has the call now (LostCallRecorder)
            checkpoints.save(callId, st.get().toJson(nodeName, st.get().openingPending));
        }
        return st;
    }

    private void finish(Run run, CallFailedException failure) {
        CallState st = run.st;
        st.disposition.outcomeUnlessSet(Interaction.Outcome.SELF_SERVED);
        Map<String, String> inputs = new LinkedHashMap<>(st.inputs.values); // secrets already masked
        Flow bottom = st.position.bottomFlow();
        Disposition d = st.disposition;
        Interaction interaction = new Interaction(st.info.uniqueId(), st.info.ani(), st.info.dnis(),
                bottom == null ? st.info.script() : bottom.name(), bottom == null ? null : bottom.version(),
                st.start, clock.instant(), st.position.path(), inputs, st.caller.customerId, st.caller.authOutcome,
                d.queue, d.agentId, d.waitTime, d.talkTime, d.outcome, nodeName);
        try {
            // the checkpoint goes once the interaction is durable (committed, or in the outbox): a server killed before
            // that leaves the checkpoint, and a survivor records the call from it (LostCallRecorder)
            String callId = st.info.uniqueId();
            crm.record(interaction, failure == null ? () -> checkpoints.delete(callId) : () -> { });
        } catch (RuntimeException e) {
            LOG.error("interaction not recorded: {}", e.toString());
        }
        if (failure == null && !run.channel.isHungUp()) {
            try {
                run.channel.setVariable("IVR_OUTCOME", d.outcome.name());
                if (!d.handedToDialplan) {
                    run.channel.setVariable("IVR_STATUS", "OK"); // the flow ran to its end: no fallback
                }
            } catch (RuntimeException e) {
                // the caller is gone: fine
            }
        }
        // DEBUG: the interaction (outcome, path) is in the journal, and the dispatcher logs the call's end right after;
        // a line less per call is a wake-up less of the log's writer thread (docs/benchmarks.md, issue 16, thirteenth round)
        LOG.debug("flow ended: {} after {} nodes", d.outcome, st.position.path().size());
        run.summary = new CallSummary(List.copyOf(st.position.path()),
                st.position.isEmpty() ? Map.of() : Map.copyOf(nullSafe(st.frame().vars)),
                Map.copyOf(inputs), st.caller.customer, st.caller.auth, interaction);
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

        /**
         * The call's opening, before its first node: the language of the number dialled, the flow's channel
         * variables, a campaign's callee. Run once per call (again by a server that resumes the call from its claim,
         * the checkpoint taken before it). Returns whether it changed what a checkpoint holds: each of its steps says
         * so, which spares serialising the state again to compare it with the claim.
         */
        boolean open(Flow flow) {
            boolean changed = languageByDnis(flow);
            changed |= readChannelVariables(flow);
            changed |= campaignCallee();
            st.openingPending = false;
            return changed;
        }

        /**
         * A campaign's call (the dialplan's ivr-outbound passes {@code campaign} and {@code customer} in the AGI
         * query): the customer called is the call's customer from its start, so the interaction is on their
         * contact history and the flow reads {@code customer.*} without an identify node. Returns whether the
         * customer was found (the state changed).
         */
        boolean campaignCallee() {
            String campaign = st.info.query().get("campaign");
            String customerId = st.info.query().get("customer");
            if (campaign == null || campaign.isBlank() || customerId == null || customerId.isBlank()) {
                return false;
            }
            Optional<dev.ivr.server.crm.Customer> c = crm.customer(customerId);
            if (c.isEmpty()) {
                return false;
            }
            st.caller.identified(c.get());
            observer.event("campaign " + campaign + ": customer " + c.get().id());
            observer.identified("IDENTIFIED", c.get().id());
            return true;
        }

        /** The flow's channel variables into {@code call.vars}; returns whether one was new or had another value. */
        boolean readChannelVariables(Flow flow) {
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = (Map<String, Object>) st.call.get("vars");
            boolean changed = false;
            for (String v : flow.channelVariables()) {
                String value = channel.getVariable(v).orElse("");
                changed |= !value.equals(vars.put(v, value)); // put gives the value before: null when there was none
            }
            return changed;
        }

        void loop() {
            while (true) {
                CallState.Frame f = st.frame();
                Node node = f.flow.node(f.node);
                if (node == null) {
                    throw new IllegalStateException("flow '" + f.flow.name() + "' has no node '" + f.node + "'");
                }
                st.position.visit(f, node.id());
                observer.node(f.flow.name(), node);
                if (st.position.countNodeWithoutInput() > MAX_NODES_WITHOUT_INPUT) {
                    LOG.error("flow '{}' ran {} nodes without caller input (at '{}'): ending the call", f.flow.name(),
                            MAX_NODES_WITHOUT_INPUT, node.id());
                    st.disposition.outcome(Interaction.Outcome.FAILED);
                    channel.hangup();
                    return;
                }
                if (node.info().log() != null) {
                    LOG.info("[{}] {}", node.id(), LogText.escape(render(node.info().log(), node))); // caller-supplied values in it
                }
                if (node.takesInput()) {
                    st.position.inputTaken();
                }
                Next next = execute(node);
                if (!channel.isHungUp()) {
                    syncChannelLanguage();
                }
                if (next.end()) {
                    return;
                }
                if (next.node() != null) {
                    st.position.moveTo(next.node());
                }
                CallState.Frame upcoming = st.frame();
                if (checkpointedOnArrival(upcoming.flow.node(upcoming.node))) {
                    checkpoints.save(st.info.uniqueId(), st.toJson(nodeName));
                }
            }
        }

        /**
         * A node whose work is a function of the state it starts from, done at once, with no effect on the
         * caller or outside the call but idempotent ones (flow variables, the language, channel variables,
         * jumps): the call is never at it for longer than that. No checkpoint is taken as the call comes
         * to such a node; the next one, taken as the call comes to a node where it stays (a prompt, a menu,
         * a queue), has it in its path and its effects in its state. A server that dies in those
         * microseconds leaves the checkpoint before (the call resumes one node earlier, as when it dies
         * before a checkpoint is written); every checkpoint points at a node where a call waits. Saves
         * the JSON, seal and cluster write of a checkpoint per such node.
         */
        private static boolean replayable(Node node) {
            return node != null && (node instanceof Node.SetVars || node instanceof Node.Branch || node instanceof Node.Goto
                    || node instanceof Node.Subflow || node instanceof Node.Return);
        }

        /**
         * Whether a checkpoint is taken as the call comes to {@code node}: not at a {@link #replayable} node, and not
         * at a {@code hangup} node either. A hangup sets the outcome and the channel variables IVR_OUTCOME and
         * IVR_STATUS (idempotent) and clears the line, with no prompt: the call is at it for three AGI commands, and
         * waits nowhere. A server that dies there leaves the checkpoint before: once IVR_STATUS is set the dialplan
         * does not send the call again (a survivor records it from that checkpoint, path without the last nodes, as
         * for any lost call); before that, the call sent again resumes at the node where it last waited (a prompt
         * said again), as when a server dies before a checkpoint is written. Saves the JSON, seal and cluster write
         * of a checkpoint per call that ends at a hangup node (one in five of the simple flow's).
         */
        private static boolean checkpointedOnArrival(Node node) {
            return !replayable(node) && !(node instanceof Node.Hangup);
        }

        Next execute(Node node) {
            return switch (node) {
                case Node.Say n -> prompts.say(n, this);
                case Node.Play n -> prompts.play(n, this);
                case Node.Menu n -> menu.run(n, this);
                case Node.Collect n -> collect.run(n, this);
                case Node.Listen n -> listen.run(n, this);
                case Node.SetVars n -> setVars.run(n, this);
                case Node.Branch n -> branch.run(n, this);
                case Node.Goto n -> jumps.go(n, this);
                case Node.Subflow n -> jumps.enter(n, this);
                case Node.Return n -> jumps.leave(n, this);
                case Node.Hours n -> hours.run(n, this);
                case Node.Identify n -> identify.run(n, this);
                case Node.Authenticate n -> authenticate.run(n, this);
                case Node.Route n -> route.run(n, this);
                case Node.Transfer n -> transfer.run(n, this);
                case Node.Voicemail n -> recordings.voicemail(n, this);
                case Node.Record n -> recordings.record(n, this);
                case Node.Hangup n -> hangup.run(n, this);
                case Node.Http n -> http.run(n, this);
                case Node.Remind n -> remind.run(n, this);
            };
        }

        // ----------------------------------------------------------- prompts

        /**
         * Says a prompt; returns the key that stopped it (only keys in {@code escapes}). While the
         * prompt is rendered the caller hears a short silence that keys end: a key that may stop
         * the prompt is returned (the prompt is skipped: the caller has answered); any other key
         * is kept as typed ahead for the next input, and the prompt plays once it is ready.
         */
        Optional<Character> say(PromptRef ref, String escapes, Node node) {
            Prompted p = prepare(ref, escapes, node);
            return p.file().isPresent() ? channel.play(p.file().get(), escapes) : p.key();
        }

        /**
         * A prompt made ready to play: the key that skipped it while it was rendered (see {@link #say}), or the file
         * to play (not played yet), or neither (no prompt, no audio).
         */
        record Prompted(Optional<Character> key, Optional<String> file) {
            static final Prompted NOTHING = new Prompted(Optional.empty(), Optional.empty());
        }

        /** What {@link #say} does before it plays the file: the prompt rendered, with keys heard meanwhile. */
        Prompted prepare(PromptRef ref, String escapes, Node node) {
            if (ref == null) {
                return Prompted.NOTHING;
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
                    return Prompted.NOTHING;
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
                    return new Prompted(key, Optional.empty());
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
                return Prompted.NOTHING;
            }
            return new Prompted(Optional.empty(), file);
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
                if (escapes.indexOf(key.get()) >= 0 && !st.inputs.hasTypeAhead()) {
                    observer.event("key " + key.get() + " while the prompt was rendered: prompt skipped");
                    return key;
                }
                typeAhead(key.get());
            }
            return Optional.empty();
        }

        void typeAhead(char key) {
            st.inputs.typeAhead(key);
        }

        Optional<Character> takeTypeAhead() {
            return st.inputs.takeTypeAhead();
        }

        /**
         * After a failed attempt of a menu, listen or collect node: its fallback once the retries
         * are used up, else the reprompt's own next node; otherwise the reprompt is said and null
         * means ask again.
         */
        Next afterFailure(int failures, int retries, String fallback, Node.Reprompt reprompt, Node node) {
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

        /** The language prompts and speech use now: the call's, when the flow offers it. */
        String language() {
            Flow flow = st.frame().flow;
            return flow.languages().contains(st.language) ? st.language : flow.languages().get(0);
        }

        /** Pauses the call's recording, if one runs, until the handle is closed (a secret is typed meanwhile). */
        dev.ivr.server.call.RecordingPauses.Paused pauseRecording() {
            return recordingPauses.pause(st.info);
        }

        /**
         * Digits typed after a prompt: up to max, ended by the terminator or a pause; empty on silence.
         *
         * <p>Asterisk drops the keys that come while no command runs, so a caller who types faster than the server
         * sends its next command would lose keys if each key were a command of its own. Where Asterisk's
         * {@code GET DATA} can keep the node's rules (terminator {@code #} or none, a pause of a positive length no
         * longer than the wait for the first key), the input is one command that keeps listening between keys: the
         * prompt itself is played by it when keys may stop the prompt, otherwise it follows the prompt; when no key
         * came within the pause after the prompt, {@code WAIT FOR DIGIT} waits out the rest of the first key's time
         * and {@code GET DATA} takes the keys after it. {@code GET DATA} always ends at {@code #}: for a node
         * without a terminator that {@code #} is a key like the others and the input goes on with another
         * {@code GET DATA}. Other terminators ({@code *}, several keys) are read a key at a time, as before
         * (docs/asterisk-behaviour.md, "GET DATA").
         */
        String digits(PromptRef prompt, boolean bargeIn, int max, String terminator, Duration first, Duration between,
                      Node node) {
            StringBuilder sb = new StringBuilder();
            boolean oneCommand = getDataKeepsRules(terminator, max, first, between);
            Optional<Character> key = takeTypeAhead();
            if (key.isEmpty() && oneCommand) {
                Prompted p = prepare(prompt, bargeIn ? ALL_KEYS : "", node);
                key = p.key().or(this::takeTypeAhead);
                if (key.isEmpty()) {
                    String file = "";
                    if (p.file().isPresent() && bargeIn) {
                        file = p.file().get(); // GET DATA plays it: a key stops it and is the first of the input
                    } else if (p.file().isPresent()) {
                        channel.play(p.file().get(), "");
                    }
                    CallChannel.Digits d = channel.readDigits(file, between, max);
                    if (!d.isEmpty() || !d.timedOut()) {
                        return getData(sb, d, max, terminator, between);
                    }
                    Duration left = first.minus(between); // no key within the pause after the prompt
                    key = left.isPositive() ? channel.waitForDigit(left) : Optional.empty();
                }
            } else if (key.isEmpty()) {
                key = say(prompt, bargeIn ? ALL_KEYS : "", node).or(this::takeTypeAhead);
                if (key.isEmpty()) {
                    key = channel.waitForDigit(first);
                }
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
                if (key.isEmpty() && oneCommand) {
                    return getData(sb, channel.readDigits("", between, max - sb.length()), max, terminator, between);
                }
                if (key.isEmpty()) {
                    key = channel.waitForDigit(between);
                }
            }
            return sb.toString();
        }

        /**
         * Whether GET DATA keeps a digits input's rules: it ends only at {@code #} (so: terminator {@code #}, or none,
         * where {@code #} is then taken as a key), and its one timeout is the pause between keys and the wait for the
         * first; and {@link CallChannel#readsDigits} takes the maximum and that pause.
         */
        static boolean getDataKeepsRules(String terminator, int max, Duration first, Duration between) {
            return (terminator.isEmpty() || terminator.equals("#")) && first.compareTo(between) >= 0
                    && CallChannel.readsDigits(max, between);
        }

        /** Adds what GET DATA read to {@code sb}, and reads on while a {@code #} that is no terminator ended it. */
        private String getData(StringBuilder sb, CallChannel.Digits d, int max, String terminator, Duration between) {
            while (true) {
                int asked = max - sb.length();
                sb.append(d.digits());
                if (d.timedOut() || d.digits().length() >= asked || !terminator.isEmpty()) {
                    return sb.toString(); // a pause, max reached, or the terminator #
                }
                sb.append('#'); // no terminator: # is one of the keys
                if (sb.length() >= max) {
                    return sb.toString();
                }
                d = channel.readDigits("", between, max - sb.length());
            }
        }

        /**
         * The language the dialled number starts the call in ({@code languages.by-dnis}), where the flow offers it;
         * returns whether the call's language changed.
         */
        boolean languageByDnis(Flow flow) {
            Optional<String> lang = byDnis.languageFor(st.info.dnis());
            if (lang.isEmpty()) {
                return false;
            }
            if (!flow.languages().contains(lang.get())) {
                LOG.info("languages.by-dnis gives {} for the dialled number, which flow '{}' does not offer: the call"
                        + " stays in {}", lang.get(), flow.name(), st.language);
                return false;
            }
            boolean changed = switchLanguage(lang.get());
            observer.event("language " + lang.get() + " (dialled number)");
            return changed;
        }

        /**
         * The call's language from now on: prompts, voice, speech, the agent's language skill, and
         * Asterisk's own sounds (CHANNEL(language): voicemail, SAY DIGITS) follow it. Returns whether it was another.
         */
        boolean switchLanguage(String lang) {
            if (lang.equals(st.language)) {
                return false;
            }
            st.setLanguage(lang);
            syncChannelLanguage();
            return true;
        }

        // ----------------------------------------------------------- helpers

        String render(Template t, Node node) {
            try {
                // a text without ${...} reads no variable: no activation (a copy of the frame's variables and inputs)
                return t.render(t.isDynamic() ? st.activation() : Map.of());
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
