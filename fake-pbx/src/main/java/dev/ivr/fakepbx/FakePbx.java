package dev.ivr.fakepbx;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Asterisk 20 that places FastAGI calls to a server over TCP, as
 * {@code AGI(agi://host:port/NAME,args)} does (docs/asterisk-behaviour.md).
 *
 * <pre>{@code
 * FakePbx pbx = new FakePbx("127.0.0.1", 4573);
 * CallResult r = pbx.call("customer-service").callerId("3612345678")
 *         .caller(Caller.script().press("1").silence().hangUp())
 *         .run(Duration.ofSeconds(10));
 * }</pre>
 */
public final class FakePbx {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String host;
    private final int port;
    private final long epoch = System.currentTimeMillis() / 1000;
    private final Map<String, String> answerGosubs = new ConcurrentHashMap<>();
    private volatile String from;

    public FakePbx(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Stands for a dialplan subroutine that runs {@code AGI(agi://host:port/SCRIPT)} on the
     * called channel when it answers: an {@code EXEC Dial} with {@code U(context^...)} among its
     * options then makes that FastAGI call from the answered channel (with the variables it
     * inherited) and bridges only once it has ended, as Asterisk's Dial does with {@code U()}. Like the sample
     * subroutine (config/asterisk/extensions.conf), it does not bridge when the script answers
     * {@code IVR_STATUS=REFUSED}: Dial then ends as BUSY.
     */
    public FakePbx answerGosub(String context, String script) {
        answerGosubs.put(context, script);
        return this;
    }

    String answerGosubScript(String context) {
        return answerGosubs.get(context);
    }

    /**
     * The local address this PBX's FastAGI connections come from (by default the system chooses), e.g.
     * {@code 127.0.0.2}: on loopback, two fake PBXs on one machine then look like two boxes to the server.
     */
    public FakePbx from(String localAddress) {
        this.from = localAddress;
        return this;
    }

    String from() {
        return from;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Starts describing a call to {@code agi://host:port/script}. */
    public CallBuilder call(String script) {
        return new CallBuilder(this, script);
    }

    /** A raw TCP connection to the server, for tests that send broken or no environment. */
    public RawConnection raw() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5_000);
        return new RawConnection(s);
    }

    String nextUniqueId() {
        return epoch + "." + SEQUENCE.incrementAndGet();
    }

    private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> talking =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A dialled leg answered and talking: completing the future hangs it up (AMI Hangup). */
    java.util.concurrent.CompletableFuture<Void> talking(String channel) {
        java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
        talking.put(channel, f);
        return f;
    }

    void doneTalking(String channel) {
        talking.remove(channel);
    }

    /** The answered dialled legs talking now, by channel name (e.g. {@code PJSIP/1001-0000002a}). */
    public java.util.Set<String> talkingLegs() {
        return java.util.Set.copyOf(talking.keySet());
    }

    /**
     * Hangs up the talking dialled legs whose channel names match, as Asterisk's AMI {@code Hangup} does
     * (the caller's Dial then returns with DIALSTATUS ANSWER and the caller stays).
     *
     * @return the names of the legs hung up
     */
    public java.util.List<String> hangUpLegs(java.util.function.Predicate<String> matches) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String name : new java.util.TreeSet<>(talking.keySet())) {
            if (matches.test(name)) {
                java.util.concurrent.CompletableFuture<Void> f = talking.remove(name);
                if (f != null) {
                    f.complete(null);
                    names.add(name);
                }
            }
        }
        for (String name : new java.util.TreeSet<>(held.keySet())) {
            if (matches.test(name) && held.remove(name) != null) {
                yankedFromConsult(name);
                legGone(name);
                names.add(name);
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ consult transfers (docs/asterisk-behaviour.md)

    private final Map<String, Map<String, String>> held = new ConcurrentHashMap<>();
    private final Map<String, String> consultPairs = new ConcurrentHashMap<>();
    private final Map<String, String> legUniqueIds = new ConcurrentHashMap<>();
    private final Map<String, String> bridgeContexts = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<String, String>> legListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Stands for a dialplan context whose extension {@code exten} runs {@code Bridge(${VARIABLE})} then
     * {@code Hangup()}, and whose other extension holds a moved channel ({@code MusicOnHold()}, then
     * {@code GotoIf($["${doneVariable}" = "1"]?end)}, {@code Goto(hold,1)}, {@code n(end),Hangup()}): the sample's
     * {@code [ivr-consult]}. An AMI Originate answered into {@code context} then bridges its new channel with the
     * channel the variable names, when that channel holds there (moved by AMI Redirect).
     */
    public FakePbx bridgeContext(String context, String variable, String doneVariable) {
        bridgeContexts.put(context, variable + "," + doneVariable);
        return this;
    }

    /** Told (unique id or "", channel) when a leg of a consult goes (Asterisk's Hangup event). */
    void onLegGone(java.util.function.BiConsumer<String, String> listener) {
        legListeners.add(listener);
    }

    private void legGone(String channel) {
        String uid = legUniqueIds.getOrDefault(channel, "");
        legListeners.forEach(l -> l.accept(uid, channel));
    }

    /** The channels held in a consult context now (moved there by AMI Redirect), by name. */
    public java.util.Set<String> heldLegs() {
        return java.util.Set.copyOf(held.keySet());
    }

    /** The consults in progress: the target's channel -> the held channel it is bridged with. */
    public Map<String, String> consultBridges() {
        return Map.copyOf(consultPairs);
    }

    /**
     * AMI Redirect of a dialled leg: it leaves the caller's bridge (the caller's Dial returns as when the leg hangs
     * up: Asterisk dissolves a two-party bridge when one party leaves) and holds in the context it was sent to.
     *
     * @return false when no dialled leg or held channel has that name
     */
    synchronized boolean redirectLeg(String channel, String context) {
        java.util.concurrent.CompletableFuture<Void> f = talking.remove(channel);
        if (f == null && !held.containsKey(channel)) {
            return false;
        }
        consultPairs.values().remove(channel);
        held.put(channel, new ConcurrentHashMap<>(Map.of("CONTEXT", context)));
        if (f != null) {
            f.complete(null);
        }
        return true;
    }

    /** AMI Setvar on a held channel; false when it is none. */
    boolean setLegVariable(String channel, String name, String value) {
        Map<String, String> vars = held.get(channel);
        if (vars == null) {
            return talking.containsKey(channel);
        }
        vars.put(name, value);
        return true;
    }

    /** Whether a channel of this name is a dialled, originated or held leg or a call (AMI actions find it). */
    boolean knows(String channel) {
        return talking.containsKey(channel) || held.containsKey(channel) || legUniqueIds.containsKey(channel)
                || liveChannel(channel).isPresent();
    }

    /**
     * An AMI Originate answered into a context: in a bridge context its channel runs Bridge with the held channel
     * its variable names (they talk until either goes), else it just talks until hung up.
     */
    synchronized void originateAnswered(String channel, String uniqueId, String context, Map<String, String> variables) {
        legUniqueIds.put(channel, uniqueId);
        String spec = bridgeContexts.get(context);
        if (spec == null) {
            return;
        }
        String peer = variables.get(spec.split(",")[0]);
        if (peer == null || !held.containsKey(peer)) {
            legGone(channel); // Bridge: NONEXISTENT; then Hangup()
            return;
        }
        consultPairs.put(channel, peer);
        java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
        talking.put(channel, f);
        f.whenComplete((v, e) -> {
            consultPairs.remove(channel); // the held channel goes on at hold,2 and holds again
            legGone(channel);
        });
    }

    /**
     * Asterisk's Bridge application on a call: the named channel leaves wherever it is (a consult's bridge, the
     * hold) for the caller's bridge. Its former partner follows the consult context: a target left alone hangs up;
     * a held channel left alone hangs up when marked done, else holds again.
     *
     * @return whether the channel exists
     */
    synchronized boolean yank(String channel) {
        java.util.concurrent.CompletableFuture<Void> f = talking.remove(channel);
        if (f != null) {
            String peer = consultPairs.remove(channel);
            if (peer != null) {
                Map<String, String> vars = held.get(peer);
                String done = bridgeContexts.getOrDefault(vars == null ? "" : vars.getOrDefault("CONTEXT", ""), ",")
                        .split(",", -1)[1];
                if (vars != null && "1".equals(vars.get(done))) {
                    held.remove(peer);
                    legGone(peer);
                }
            }
            return true;
        }
        if (held.remove(channel) != null) {
            yankedFromConsult(channel);
            return true;
        }
        return false;
    }

    /** A held channel left (hung up, or bridged elsewhere): a target bridged with it is left alone and hangs up. */
    private void yankedFromConsult(String heldChannel) {
        for (Map.Entry<String, String> e : Map.copyOf(consultPairs).entrySet()) {
            if (e.getValue().equals(heldChannel)) {
                consultPairs.remove(e.getKey());
                java.util.concurrent.CompletableFuture<Void> target = talking.remove(e.getKey());
                if (target != null) {
                    target.complete(null);
                }
            }
        }
    }

    /** The end of a caller's Bridge with a channel (option x: that channel is hung up). */
    void bridgeEnded(String channel) {
        talking.remove(channel);
        legGone(channel);
    }

    /** The calls in progress: unique id -> channel name. */
    private final Map<String, String> live = new ConcurrentHashMap<>();

    /**
     * A call in progress by channel name or unique id, as Asterisk's {@code ast_channel_get_by_name} looks
     * channels up for AMI actions (the name first, then the unique id).
     *
     * @return its channel name
     */
    public java.util.Optional<String> liveChannel(String nameOrUniqueId) {
        if (live.containsValue(nameOrUniqueId)) {
            return java.util.Optional.of(nameOrUniqueId);
        }
        return java.util.Optional.ofNullable(live.get(nameOrUniqueId));
    }

    private final List<java.util.function.BiConsumer<String, String>> endListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told (unique id, channel name) when a call's channel goes, as Asterisk's Hangup event tells AMI clients. */
    void onChannelGone(java.util.function.BiConsumer<String, String> listener) {
        endListeners.add(listener);
    }

    void started(String uniqueId, String channel, FakeCall call) {
        live.put(uniqueId, channel);
        call.result().whenComplete((r, e) -> {
            live.remove(uniqueId);
            endListeners.forEach(l -> l.accept(uniqueId, channel));
        });
    }

    String nextChannelSuffix() {
        return String.format("%08x", SEQUENCE.get());
    }

    /** Everything about one call before it is placed. */
    public static final class CallBuilder {
        private final FakePbx pbx;
        private final String script;
        private final List<String> args = new ArrayList<>();
        private String query = "";
        private String callerId = "3612345678";
        private String callerIdName = "unknown";
        private String dnid = "1000";
        private String extension = "1000";
        private String context = "from-pstn";
        private String language = "en";
        private String channelType = "PJSIP";
        private String channel;
        private String uniqueId;
        private Caller caller = Caller.script();
        private boolean exitOnHangup;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private CallListener listener = CallListener.NONE;
        private Duration hangupLineDelay = Duration.ofMillis(40);
        private Duration promptTime = Duration.ZERO;
        private Duration audioPacing = Duration.ofMillis(2);
        private boolean realTimeouts;
        private double timeScale = 1;

        CallBuilder(FakePbx pbx, String script) {
            this.pbx = pbx;
            this.script = script;
        }

        /** AGI arguments: {@code AGI(agi://.../NAME,arg1,arg2)} → agi_arg_1, agi_arg_2. */
        public CallBuilder args(String... a) {
            args.addAll(List.of(a));
            return this;
        }

        /** A query string on the script path: {@code agi://host/NAME?query}. */
        public CallBuilder query(String q) {
            this.query = q;
            return this;
        }

        /** The caller's number as Asterisk reports it ("unknown" when withheld). */
        public CallBuilder callerId(String number) {
            this.callerId = number;
            return this;
        }

        public CallBuilder callerIdName(String name) {
            this.callerIdName = name;
            return this;
        }

        /** The dialled number (agi_dnid and agi_extension). */
        public CallBuilder dialled(String number) {
            this.dnid = number;
            this.extension = number;
            return this;
        }

        public CallBuilder context(String c) {
            this.context = c;
            return this;
        }

        public CallBuilder language(String lang) {
            this.language = lang;
            return this;
        }

        /** A {@code Local/...} channel instead of PJSIP: agi_dnid is then "unknown". */
        public CallBuilder localChannel() {
            this.channelType = "Local";
            return this;
        }

        /** The channel name, e.g. {@code PJSIP/1001-0000002a} (its technology becomes agi_type). */
        public CallBuilder channel(String name) {
            this.channel = name;
            int slash = name.indexOf('/');
            if (slash > 0) {
                this.channelType = name.substring(0, slash);
            }
            return this;
        }

        /** Reuses a unique id, as Asterisk does when the dialplan retries a call on another server. */
        public CallBuilder uniqueId(String id) {
            this.uniqueId = id;
            return this;
        }

        public CallBuilder caller(Caller c) {
            this.caller = c;
            return this;
        }

        /** Channel variables already set when the AGI starts (GET VARIABLE returns them). */
        public CallBuilder variable(String name, String value) {
            variables.put(name, value);
            return this;
        }

        /** {@code Set(AGIEXITONHANGUP=yes)}: on hang-up Asterisk sends HANGUP twice and closes. */
        public CallBuilder exitOnHangup() {
            this.exitOnHangup = true;
            return this;
        }

        public CallBuilder listener(CallListener l) {
            this.listener = l;
            return this;
        }

        /** The gap between {@code result=-1} and the unprompted HANGUP line (40 ms on Asterisk 20). */
        public CallBuilder hangupLineDelay(Duration d) {
            this.hangupLineDelay = d;
            return this;
        }

        /**
         * How long each prompt plays before its reply (STREAM FILE, SAY ..., the prompt of GET
         * DATA / GET OPTION), as a real caller would hear it. Zero (the default) for tests.
         */
        public CallBuilder promptTime(Duration d) {
            this.promptTime = d;
            return this;
        }

        /**
         * Time between the 20 ms audio frames streamed during AudioSocket: 2 ms by default (ten
         * times real time, so tests do not wait for the caller's silences); 20 ms is real time.
         */
        public CallBuilder audioPacing(Duration d) {
            this.audioPacing = d;
            return this;
        }

        /**
         * Inputs nobody answers (WAIT FOR DIGIT, GET DATA in silence) take their whole timeout,
         * as on Asterisk, instead of returning at once: for load generation. Off by default.
         */
        public CallBuilder realTimeouts() {
            this.realTimeouts = true;
            return this;
        }

        /**
         * Real timeouts for a server whose clock runs {@code speed} times faster than the PBX's (libfaketime's
         * {@code x60}, say): a silent input lasts its timeout divided by {@code speed}. Prompts' playing time is
         * {@link #promptTime} (give it already divided).
         */
        public CallBuilder realTimeouts(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be positive: " + speed);
            }
            this.realTimeouts = true;
            this.timeScale = speed;
            return this;
        }

        /** Places the call and returns at once; the call runs on its own virtual thread. */
        public FakeCall start() {
            String id = uniqueId != null ? uniqueId : pbx.nextUniqueId();
            String chan = channel != null ? channel
                    : channelType.equals("Local") ? "Local/" + extension + "@" + context + "-" + pbx.nextChannelSuffix() + ";1"
                    : channelType + "/trunk-" + pbx.nextChannelSuffix();
            List<String> env = environment(id, chan);
            FakeCall call = new FakeCall(pbx, env, id, caller.copy(), variables, exitOnHangup,
                    listener, hangupLineDelay, promptTime);
            call.audioPacing(audioPacing);
            call.realTimeouts(realTimeouts);
            call.timeScale(timeScale);
            pbx.started(id, chan, call);
            call.start();
            return call;
        }

        /** Places the call and waits for it to end. */
        public CallResult run(Duration timeout) {
            return start().await(timeout);
        }

        private List<String> environment(String id, String chan) {
            String path = script + (query.isEmpty() ? "" : "?" + query);
            List<String> env = new ArrayList<>();
            env.add("agi_network: yes");
            env.add("agi_network_script: " + path);
            env.add("agi_request: agi://" + pbx.host + ":" + pbx.port + "/" + path);
            env.add("agi_channel: " + chan);
            env.add("agi_language: " + language);
            env.add("agi_type: " + channelType);
            env.add("agi_uniqueid: " + id);
            env.add("agi_version: 20.20.1");
            env.add("agi_callerid: " + callerId);
            env.add("agi_calleridname: " + callerIdName);
            env.add("agi_callingpres: 0");
            env.add("agi_callingani2: 0");
            env.add("agi_callington: 0");
            env.add("agi_callingtns: 0");
            env.add("agi_dnid: " + (channelType.equals("Local") ? "unknown" : dnid));
            env.add("agi_rdnis: unknown");
            env.add("agi_context: " + context);
            env.add("agi_extension: " + extension);
            env.add("agi_priority: 3");
            env.add("agi_enhanced: 0.0");
            env.add("agi_accountcode: ");
            env.add("agi_threadid: " + (140095491770048L + Integer.toUnsignedLong(id.hashCode())));
            for (int i = 0; i < args.size(); i++) {
                env.add("agi_arg_" + (i + 1) + ": " + args.get(i));
            }
            return env;
        }
    }
}
