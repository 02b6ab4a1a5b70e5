package dev.ivr.server.system;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller simulated inside Asterisk: {@code Originate} of {@code Local/s@caller-sim/n} into the
 * sample dialplan with the caller's number as caller ID. The Local channel's half {@code ;1}
 * runs the dialplan (and so the IVR); the other half {@code ;2} is the caller's phone: the test
 * watches the IVR's AGI commands on {@code ;1} ({@code AGIExecStart} events) and, when the IVR
 * asks for input, presses the caller's keys on {@code ;2} (AMI {@code PlayDTMF}), speaks
 * (a tone, {@code Redirect} to {@code caller-say}) or hangs up ({@code Hangup}), as
 * {@link Script} says: the same steps as the fake PBX's caller scripts.
 */
final class LocalCall {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** What the caller does, in order (the fake PBX's {@code Caller} steps). */
    static final class Script {
        sealed interface Step permits Press, BargeIn, TypeAtPrompt, Silence, HangUp, Say, Message {
        }

        /** @param context the caller's phone's dialplan that types them ({@code caller-types}, {@code caller-types-fast}) */
        record TypeAtPrompt(String digits, String context) implements Step {
        }

        record Press(String digits) implements Step {
        }

        record BargeIn(String digits) implements Step {
        }

        record Silence() implements Step {
        }

        /** @param after how long after the command started */
        record HangUp(Duration after) implements Step {
        }

        record Say(int hz) implements Step {
        }

        /**
         * At the next application (VoiceMail), once Asterisk plays the beep after the greeting and {@code after} more,
         * the caller talks three seconds, then hangs up.
         */
        record Message(Duration after) implements Step {
        }

        final Deque<Step> steps = new ArrayDeque<>();
        boolean silentWhenDone;

        static Script of() {
            return new Script();
        }

        /** Keys typed when the IVR next waits for input (WAIT FOR DIGIT, GET DATA), the rest as it takes them. */
        Script press(String digits) {
            steps.add(new Press(digits));
            return this;
        }

        /** Keys typed while the next prompt that accepts keys plays: the first stops it, the rest follow at a person's pace. */
        Script bargeIn(String digits) {
            steps.add(new BargeIn(digits));
            return this;
        }

        /**
         * Keys the caller's phone types itself (Asterisk's SendDTMF on the caller's side, a key every
         * {@value LocalCall#PHONE_KEY_GAP_MILLIS} ms) once the next prompt that keys interrupt has started after the keys
         * of the step before reached the IVR's side: through that prompt and into the inputs after it. The keys' spacing
         * is Asterisk's, not the test's AMI connection's (whose events and actions lag by seconds with a hundred calls
         * on a loaded machine), and the prompt that starts them is the IVR's own next one, not a fixed moment.
         */
        Script typeAtPrompt(String digits) {
            steps.add(new TypeAtPrompt(digits, "caller-types"));
            return this;
        }

        /**
         * As {@link #typeAtPrompt}, at a machine's pace: a key of 100 ms every {@value LocalCall#FAST_KEY_GAP_MILLIS} ms
         * of pause ({@code caller-types-fast}: a PBX or an IVR tester sending DTMF, a caller who knows the number).
         */
        Script typeFastAtPrompt(String digits) {
            steps.add(new TypeAtPrompt(digits, "caller-types-fast"));
            return this;
        }

        /** The next input times out. */
        Script silence() {
            steps.add(new Silence());
            return this;
        }

        /** Hangs up at the next prompt, input or application (EXEC). */
        Script hangUp() {
            return hangUpAfter(Duration.ZERO);
        }

        /** Hangs up this long after the next prompt, input or application (EXEC) started. */
        Script hangUpAfter(Duration after) {
            steps.add(new HangUp(after));
            return this;
        }

        /** Says a word during the next AudioSocket session (a tone of this pitch). */
        Script say(int hz) {
            steps.add(new Say(hz));
            return this;
        }

        /** Leaves a message: at the next application (VoiceMail), this long after the beep, talks three seconds and hangs up. */
        Script leaveMessage(Duration afterBeep) {
            steps.add(new Message(afterBeep));
            return this;
        }

        /** When the steps run out, the caller keeps listening and lets inputs time out (default: hangs up). */
        Script thenSilence() {
            silentWhenDone = true;
            return this;
        }
    }

    /**
     * One AGI command Asterisk ran for the IVR on this call.
     *
     * @param id                 Asterisk's CommandId (AGIExecStart and AGIExecEnd)
     * @param keysReceivedBefore the keys the IVR's side had received when the command started (DTMFEnd events)
     */
    record Command(String text, long atNanos, String id, int keysReceivedBefore) {
        String name() {
            String[] w = text.split(" ");
            if (w.length >= 2 && (w[0].equals("STREAM") || w[0].equals("WAIT") || w[0].equals("GET")
                    || w[0].equals("SET") || w[0].equals("SAY") || w[0].equals("CHANNEL") || w[0].equals("DATABASE"))) {
                return w.length >= 3 && (w[1].equals("FOR") || w[1].equals("FULL")) ? w[0] + " " + w[1] + " " + w[2]
                        : w[0] + " " + w[1];
            }
            return w[0];
        }
    }

    private final Ami ami;
    private final PrivateAsterisk asterisk;
    /** Asterisk's log before the call was placed: a failure message quotes what came after. */
    private final long logMark;
    /** The channels events with the call's unique id named (its IVR side; Asterisk's log names channels, not ids). */
    private final java.util.Set<String> channels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final String callId;
    final String callerSide;
    private final Script script;
    private final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Ami.Message> ended = new CompletableFuture<>();
    private final ExecutorService actions = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final Consumer<Ami.Message> listener = this::onEvent;
    private volatile boolean hungUp;
    /** The CommandIds of the commands Asterisk reported ended. */
    private final java.util.Set<String> endedCommands = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Keys of a {@link Script.Press} still to type (guarded by the script). */
    private String typing = "";
    private volatile long lastKeyAt;
    /** Keys the IVR's side received (DTMFEnd events), and keys the caller's phone was told to type. */
    private final java.util.concurrent.atomic.AtomicInteger keysReceived = new java.util.concurrent.atomic.AtomicInteger();
    private int keysTyped;

    private LocalCall(PrivateAsterisk asterisk, String callId, String callerSide, Script script) {
        this.asterisk = asterisk;
        this.ami = asterisk.ami();
        this.logMark = asterisk.logMark();
        this.callId = callId;
        this.callerSide = callerSide;
        this.script = script;
    }

    /**
     * Places the call: {@code exten} in {@code from-pstn} with this caller ID. The IVR sees
     * {@link #callId} as Asterisk's unique id of the call.
     */
    static LocalCall place(PrivateAsterisk asterisk, String exten, String number, String name, Script script) {
        return place(asterisk, "from-pstn", exten, number, name, script);
    }

    /** A call into {@code exten@context} (the test's own lines are in {@code system-test-lines}). */
    static LocalCall place(PrivateAsterisk asterisk, String context, String exten, String number, String name,
                           Script script) {
        return originate(asterisk, "Local/s@caller-sim/n", context, exten, number, name, script);
    }

    private static LocalCall originate(PrivateAsterisk asterisk, String callerChannel, String context, String exten,
                                       String number, String name, Script script) {
        String base = callId(asterisk.systemName, System.currentTimeMillis() / 1000, SEQUENCE.incrementAndGet());
        LocalCall call = new LocalCall(asterisk, base, base + "-caller", script);
        asterisk.ami().onEvent(call.listener);
        // asynchronous: the call's events tell how it goes (no wait for the response, so many calls start at once)
        asterisk.ami().send(Ami.of("Action", "Originate", "Channel", callerChannel,
                "Context", context, "Exten", exten, "Priority", "1",
                "CallerID", (name == null ? "" : "\"" + name + "\" ") + "<" + number + ">",
                "ChannelId", call.callId, "OtherChannelId", call.callerSide, "Timeout", "30000", "Async", "true"),
                asterisk.ami().nextId());
        return call;
    }

    /**
     * The unique id the test gives the call's IVR side (and, with {@code -caller}, its caller side). Never one
     * Asterisk could make up for a channel of its own: Asterisk names channels {@code SYSTEMNAME-EPOCH.COUNTER}
     * (channel_internal_api.c; COUNTER counts every channel since it started, EPOCH is the second it was made). An id
     * of that shape, made in the same second as Asterisk's channel number {@code sequence}, is that channel's too:
     * Asterisk refuses the Originate ("Channel Unique ID ... already in use", channel.c) and the test takes the other
     * channel's events for its call's (an operator leg's Hangup: the call "ended" without one AGI command).
     */
    static String callId(String systemName, long epochSecond, long sequence) {
        return "call-" + systemName + "-" + epochSecond + "-" + sequence;
    }

    private void onEvent(Ami.Message e) {
        String uid = e.get("Uniqueid");
        if (!callId.equals(uid)) {
            return;
        }
        if (e.get("Channel") != null) {
            channels.add(e.get("Channel"));
        }
        if (e.is("AGIExecStart")) {
            Command c = new Command(e.getOrDefault("Command", ""), System.nanoTime(), e.getOrDefault("CommandId", ""),
                    keysReceived.get());
            commands.add(c);
            actions.execute(() -> react(c));
        } else if (e.is("DTMFEnd") && "Received".equalsIgnoreCase(e.get("Direction"))) {
            keysReceived.incrementAndGet();
        } else if (e.is("AGIExecEnd")) {
            ended(e.getOrDefault("CommandId", ""));
        } else if (e.is("Hangup")) {
            ami.removeListener(listener);
            ended.complete(e);
            actions.shutdown();
        }
    }

    /** What the caller does when the IVR starts this command. */
    private void react(Command c) {
        String name = c.name();
        boolean input = name.equals("WAIT FOR DIGIT") || name.equals("GET DATA") || name.equals("GET OPTION")
                || name.equals("RECORD FILE");
        boolean prompt = name.equals("STREAM FILE") || name.equals("CONTROL STREAM") || name.startsWith("SAY ");
        // a prompt that keys interrupt: one with escape digits, or GET DATA's own prompt (every key stops it)
        boolean keyPrompt = prompt && !escapeDigits(c.text()).isEmpty()
                || name.equals("GET DATA") && !firstQuoted(c.text()).isEmpty();
        boolean audioSocket = c.text().toLowerCase(java.util.Locale.ROOT).matches("exec \"?audiosocket.*");
        boolean exec = name.equals("EXEC");
        synchronized (script) {
            List<Command> all = commands();
            if (!all.isEmpty() && all.get(all.size() - 1) != c) {
                return; // the IVR has moved on (the caller was typing meanwhile): too late for this one
            }
            if (!typing.isEmpty()) {
                // the rest of the keys being typed: one each time the IVR takes a key again (its next input, or a
                // prompt that keys interrupt), never while no command runs (Asterisk drops a key between commands)
                if (input || keyPrompt) {
                    sleep(Math.max(0, KEY_GAP_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastKeyAt)));
                    key(typing.charAt(0));
                    typing = typing.substring(1);
                    typeOnWhileItListens(c);
                }
                return;
            }
            Script.Step step = script.steps.peek();
            if (step == null) {
                if (!script.silentWhenDone && input) {
                    hangUpNow();
                }
                return;
            }
            if ((input || prompt || exec) && step instanceof Script.HangUp h) {
                script.steps.poll();
                sleep(h.after().toMillis());
                hangUpNow();
                return;
            }
            if (exec && step instanceof Script.Message m) {
                script.steps.poll();
                awaitBeep(Duration.ofSeconds(60)); // not a fixed time: a loaded Asterisk plays the greeting slower
                sleep(m.after().toMillis());
                ami.send(Ami.of("Action", "Redirect", "Channel", callerSide, "Context", "caller-talk", "Exten", "440",
                        "Priority", "1"), ami.nextId());
                sleep(3500);
                hangUpNow();
                return;
            }
            if (keyPrompt && step instanceof Script.TypeAtPrompt t) {
                if (c.keysReceivedBefore() < keysTyped) {
                    return; // a prompt that started before the keys typed so far reached the IVR: not the one meant
                }
                script.steps.poll();
                sleep(150); // the prompt has started playing
                keysTyped += t.digits().length();
                ami.send(Ami.of("Action", "Setvar", "Channel", callerSide, "Variable", "CALLER_KEYS",
                        "Value", t.digits()), ami.nextId());
                ami.send(Ami.of("Action", "Redirect", "Channel", callerSide, "Context", t.context(), "Exten", "s",
                        "Priority", "1"), ami.nextId());
                return;
            }
            if (keyPrompt && step instanceof Script.BargeIn b) {
                script.steps.poll();
                sleep(150); // the prompt has started playing
                typeThrough(b.digits());
                return;
            }
            if (audioSocket && step instanceof Script.Say s) {
                script.steps.poll();
                sleep(300);
                ami.send(Ami.of("Action", "Redirect", "Channel", callerSide, "Context", "caller-say",
                        "Exten", Integer.toString(s.hz()), "Priority", "1"), ami.nextId());
                return;
            }
            if (audioSocket && step instanceof Script.Press p) {
                script.steps.poll();
                sleep(300);
                key(p.digits().charAt(0));
                return;
            }
            if (!input) {
                return;
            }
            if (step instanceof Script.Silence) {
                script.steps.poll();
                return;
            }
            if (step instanceof Script.Press p) {
                script.steps.poll();
                type(p.digits());
                typeOnWhileItListens(c);
            }
        }
    }

    /** Waits (up to {@code timeout}) until Asterisk's log says it plays the beep on the call's channel. */
    private void awaitBeep(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> names = List.copyOf(channels);
            if (asterisk.logSince(logMark).lines().anyMatch(l -> l.contains("> Playing 'beep")
                    && names.stream().anyMatch(n -> l.contains("<" + n + "> ")))) {
                return;
            }
            sleep(100);
        }
    }

    /**
     * Types keys: the first now, each of the others when the IVR next takes a key (its next input command, or a prompt
     * that keys interrupt), at least {@value #KEY_GAP_MILLIS} ms after the one before. Not at fixed moments: Asterisk
     * drops a key that comes while no AGI command runs, and a loaded server can take longer than a person's pause
     * between two commands (a key lost so put the account number in wrong).
     */
    private void type(String digits) {
        key(digits.charAt(0));
        typing = digits.substring(1);
    }

    /**
     * GET DATA keeps listening between keys: the rest of the keys being typed go on into it, {@value #KEY_GAP_MILLIS}
     * ms apart, while it runs (another command would only come once it has ended).
     */
    private void typeOnWhileItListens(Command c) {
        if (!c.name().equals("GET DATA")) {
            return;
        }
        while (!typing.isEmpty() && !endedCommands.contains(c.id()) && !hungUp) {
            sleep(Math.max(0, KEY_GAP_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastKeyAt)));
            key(typing.charAt(0));
            typing = typing.substring(1);
        }
    }

    static final long KEY_GAP_MILLIS = 200;

    /**
     * Types keys as a person does who knows the line, one every {@value #BARGE_IN_GAP_MILLIS} ms from now, whatever
     * the IVR does meanwhile: through the prompt the first one stops, into the next inputs and prompts (what the IVR
     * keeps of keys typed ahead is the point of the tests that barge in).
     */
    private void typeThrough(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) {
                sleep(BARGE_IN_GAP_MILLIS);
            }
            key(digits.charAt(i));
        }
    }

    static final long BARGE_IN_GAP_MILLIS = 350;

    /** The caller's phone's pause between two keys it types itself ({@code caller-types} in extensions-test.conf). */
    static final long PHONE_KEY_GAP_MILLIS = 600;

    /** The pause between two keys of {@link Script#typeFastAtPrompt} ({@code caller-types-fast}). */
    static final long FAST_KEY_GAP_MILLIS = 100;

    /** The caller presses a key now, whatever the IVR is doing. */
    void key(char k) {
        lastKeyAt = System.nanoTime();
        ami.send(Ami.of("Action", "PlayDTMF", "Channel", callerSide, "Digit", String.valueOf(k), "Duration", "100"),
                ami.nextId());
    }

    /**
     * Steps the caller takes from now on, after those still to come (a test that drives the call in phases: keys only
     * once something has happened, such as a server killed).
     */
    void andThen(Script more) {
        synchronized (script) {
            script.steps.addAll(more.steps);
            List<Command> all = commands();
            Command last = all.isEmpty() ? null : all.get(all.size() - 1);
            if (last != null && !endedCommands.contains(last.id())) {
                actions.execute(() -> react(last)); // the IVR waits for them now
            }
        }
    }

    private void ended(String commandId) {
        endedCommands.add(commandId);
    }

    /** The caller hangs up now. */
    void hangUpNow() {
        if (!hungUp) {
            hungUp = true;
            ami.send(Ami.of("Action", "Hangup", "Channel", callerSide), ami.nextId());
        }
    }

    /** The first quoted argument of a command line (GET DATA's prompt), or "". */
    static String firstQuoted(String command) {
        Matcher m = QUOTED.matcher(command);
        return m.find() ? m.group(1) : "";
    }

    static String escapeDigits(String command) {
        Matcher m = QUOTED.matcher(command);
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    /** The AGI commands Asterisk ran for the IVR on this call so far. */
    List<Command> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    List<String> commandTexts() {
        return commands().stream().map(Command::text).toList();
    }

    boolean isEnded() {
        return ended.isDone();
    }

    /** Waits for the call's end (the Hangup event of its IVR side); returns it. */
    Ami.Message awaitEnd(Duration timeout) {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("call " + callId + " still up after " + timeout + "; AGI commands: " + commandTexts()
                    + whatHappened());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the IVR runs a command that starts with {@code prefix}. */
    Command awaitCommand(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Command c : commands()) {
                if (c.text().startsWith(prefix)) {
                    return c;
                }
            }
            if (isEnded()) {
                break;
            }
            sleep(50);
        }
        throw new AssertionError("no AGI command '" + prefix + "...' on call " + callId + " within " + timeout
                + "; commands: " + commandTexts() + whatHappened());
    }

    /** Most lines of each log a failure message quotes: the first ones (how the call started) and the last ones. */
    private static final int QUOTED_LINES = 40;
    private static final Pattern ASTERISK_CALL_TAG = Pattern.compile("\\]\\[(C-[0-9a-f]+)\\]");

    /**
     * For a failure message: whether the call ended (and why, as Asterisk said), what Asterisk logged for its channel
     * since it was placed (AGI traffic with "agi set debug on", the dialplan's applications and Verbose lines, res_agi's
     * warnings), and what the servers in this JVM logged with its call id.
     */
    String whatHappened() {
        StringBuilder sb = new StringBuilder("\n  ");
        if (ended.isDone()) {
            Ami.Message h = ended.join();
            sb.append("the call ended: Hangup of ").append(h.get("Channel")).append(", cause ").append(h.get("Cause"))
                    .append(" (").append(h.get("Cause-txt")).append(')');
        } else {
            sb.append("the call is still up");
        }
        List<String> names = List.copyOf(channels);
        if (names.size() > 1) {
            sb.append("\n  events with this unique id came from several channels: ").append(names);
        }
        sb.append("\n  Asterisk's log for ").append(names.isEmpty() ? "the call id (no event named its channel)" : names)
                .append(':');
        List<String> lines = asterisk.logSince(logMark).lines().toList();
        java.util.function.Predicate<String> ours = l -> l.contains(callId) || names.stream().anyMatch(l::contains);
        java.util.Set<String> tags = new java.util.HashSet<>();
        for (String l : lines) {
            Matcher m = ASTERISK_CALL_TAG.matcher(l);
            if (ours.test(l) && m.find()) {
                tags.add(m.group(1)); // the call's lines without its channel's name (res_agi's warnings) carry its tag
            }
        }
        quote(sb, lines.stream().filter(l -> ours.test(l) || tags.stream().anyMatch(t -> l.contains("][" + t + "]")))
                .toList());
        sb.append("\n  the servers' log for call id ").append(callId).append(':');
        quote(sb, IvrNode.linesOfCall(callId));
        return sb.toString();
    }

    /** The first and the last {@link #QUOTED_LINES} lines, and how many were left out between them. */
    private static void quote(StringBuilder sb, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (i == QUOTED_LINES && lines.size() > 2 * QUOTED_LINES) {
                sb.append("\n    [").append(lines.size() - 2 * QUOTED_LINES).append(" lines]");
                i = lines.size() - QUOTED_LINES;
            }
            sb.append("\n    ").append(lines.get(i));
        }
    }

    /** A channel variable of the IVR side as Asterisk has it now (while the call is up). */
    String variable(String name) {
        return ami.getvar(callId, name);
    }

    static Map<String, String> none() {
        return Map.of();
    }

    private static void sleep(long ms) {
        PrivateAsterisk.sleep(ms);
    }
}
