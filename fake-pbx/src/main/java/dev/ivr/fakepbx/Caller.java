package dev.ivr.fakepbx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the person on the phone does, in order. Each step is used by the command that gives
 * the caller a chance to act:
 * <ul>
 *   <li>{@link #press(String)}: keys typed when the server next asks for input (GET DATA,
 *       WAIT FOR DIGIT, GET OPTION, RECORD FILE). Prompts before that play to the end.</li>
 *   <li>{@link #bargeIn(String)}: keys typed while the next prompt plays; the first key ends a
 *       prompt that allows it (escape digits) and is returned by it, the rest stay typed
 *       for the next input. If the prompt allows no keys they wait for the next input.</li>
 *   <li>{@link #silence()}: the next input times out with nothing typed.</li>
 *   <li>{@link #hangUp()}: hangs up during the next prompt or input (the command returns
 *       {@code result=-1}, then {@code HANGUP} follows about 40 ms later).</li>
 *   <li>{@link #hangUpBetweenCommands()}: hangs up right after the current reply, while the
 *       server is between commands ({@code HANGUP} is sent at once).</li>
 *   <li>{@link #hold(CompletableFuture)} / {@link #pause(Duration)}: the next prompt or input
 *       does not complete until released / until the time has passed (a caller listening).</li>
 *   <li>{@link #dial(DialOutcome)}: how the next {@code EXEC Dial} ends;
 *       {@link #dial(DialOutcome, CompletableFuture)} keeps an answered call talking until
 *       released (or until the caller hangs up with {@link FakeCall#hangUpNow()}).</li>
 *   <li>{@link #speak(byte[])}: what the caller says during the next {@code EXEC AudioSocket}
 *       (speech input); keys and hang-up steps work there too.</li>
 *   <li>{@link #reply(String)}: the next command of any kind gets this raw line as its reply
 *       (for garbage and protocol-error tests).</li>
 * </ul>
 * When the steps run out, prompts still play to the end, and the caller hangs up at the next
 * input (or keeps silent, with {@link #thenSilence()}); after {@value #PROMPTS_AFTER_END}
 * prompts with no input the caller hangs up anyway, so a flow that loops never holds a test
 * forever.
 */
public final class Caller {

    /** How {@code EXEC Dial} ends; DIALSTATUS is set accordingly. */
    public enum DialOutcome {
        /** The agent answered; the bridged call ended when the caller hung up. */
        ANSWER,
        /** The agent answered; the agent hung up first, the caller's channel is still up. */
        ANSWER_AGENT_HANGS_UP,
        NOANSWER,
        BUSY,
        CHANUNAVAIL,
        CONGESTION
    }

    sealed interface Step permits Press, Silence, HangUp, HangUpBetween, Hold, Pause, Dial, RawReply, Speak {
    }

    record Press(String digits, boolean duringPrompt) implements Step {
    }

    record Silence() implements Step {
    }

    record HangUp() implements Step {
    }

    record HangUpBetween() implements Step {
    }

    record Hold(CompletableFuture<?> release) implements Step {
    }

    record Pause(Duration duration) implements Step {
    }

    /**
     * @param talkUntil an answered call lasts until this completes; null: it ends at once
     * @param talk an answered call lasts this long (when talkUntil is null); null: no fixed time
     */
    record Dial(DialOutcome outcome, CompletableFuture<?> talkUntil, Duration talk, CompletableFuture<?> ringUntil,
                Duration ringFor) implements Step {
        Dial(DialOutcome outcome, CompletableFuture<?> talkUntil, Duration talk) {
            this(outcome, talkUntil, talk, null, null);
        }
    }

    record RawReply(String line) implements Step {
    }

    record Speak(byte[] audio) implements Step {
    }

    /** Prompts a caller with no steps left listens to before hanging up. */
    public static final int PROMPTS_AFTER_END = 50;

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean silentWhenDone;

    private Caller() {
    }

    /** A caller with no steps yet. */
    public static Caller script() {
        return new Caller();
    }

    public Caller press(String digits) {
        requireDigits(digits);
        steps.add(new Press(digits, false));
        return this;
    }

    public Caller bargeIn(String digits) {
        requireDigits(digits);
        steps.add(new Press(digits, true));
        return this;
    }

    /**
     * The next input times out with nothing typed. A {@code WAIT FOR DIGIT} right after a {@code GET DATA} that timed
     * out so is the same silence, not the next input: ivr reads a digits input as {@code GET DATA} for the pause between
     * keys, then {@code WAIT FOR DIGIT} for the rest of the wait for the first key.
     */
    public Caller silence() {
        steps.add(new Silence());
        return this;
    }

    /** {@code n} inputs in a row with nothing typed. */
    public Caller silence(int n) {
        for (int i = 0; i < n; i++) {
            silence();
        }
        return this;
    }

    public Caller hangUp() {
        steps.add(new HangUp());
        return this;
    }

    public Caller hangUpBetweenCommands() {
        steps.add(new HangUpBetween());
        return this;
    }

    public Caller hold(CompletableFuture<?> release) {
        steps.add(new Hold(Objects.requireNonNull(release)));
        return this;
    }

    public Caller pause(Duration duration) {
        steps.add(new Pause(Objects.requireNonNull(duration)));
        return this;
    }

    public Caller dial(DialOutcome outcome) {
        steps.add(new Dial(Objects.requireNonNull(outcome), null, null));
        return this;
    }

    /**
     * How the next {@code EXEC Dial} ends; when it is answered, the conversation goes on until
     * {@code talkUntil} completes (ANSWEREDTIME then counts that time).
     */
    public Caller dial(DialOutcome outcome, CompletableFuture<?> talkUntil) {
        steps.add(new Dial(Objects.requireNonNull(outcome), Objects.requireNonNull(talkUntil), null));
        return this;
    }

    /** How the next {@code EXEC Dial} ends; when answered, the conversation lasts {@code talk}. */
    public Caller dial(DialOutcome outcome, Duration talk) {
        steps.add(new Dial(Objects.requireNonNull(outcome), null, Objects.requireNonNull(talk)));
        return this;
    }

    /**
     * The next {@code EXEC Dial}: the agent's phone rings until {@code ringUntil} completes (a late answer, when the
     * test lets the reservation run out meanwhile), then it ends as {@code outcome}; an answered call lasts
     * {@code talk}. The caller hanging up meanwhile ends it as CANCEL.
     */
    public Caller dialRingingUntil(CompletableFuture<?> ringUntil, DialOutcome outcome, Duration talk) {
        steps.add(new Dial(Objects.requireNonNull(outcome), null, Objects.requireNonNull(talk),
                Objects.requireNonNull(ringUntil), null));
        return this;
    }

    /** As {@link #dialRingingUntil}, the phone ringing for {@code ring} from the start of the Dial. */
    public Caller dialRingingFor(Duration ring, DialOutcome outcome, Duration talk) {
        steps.add(new Dial(Objects.requireNonNull(outcome), null, Objects.requireNonNull(talk), null,
                Objects.requireNonNull(ring)));
        return this;
    }

    /**
     * Says something during the next {@code EXEC AudioSocket}: the audio (8 kHz 16-bit signed
     * linear, little-endian, mono) is streamed to the server, then silence until it ends the
     * session. A {@link #press} or {@link #hangUp} at an AudioSocket sends a DTMF frame, or
     * closes the connection, after 200 ms of silence; {@link #silence()} just stays silent.
     */
    public Caller speak(byte[] slin8k) {
        steps.add(new Speak(Objects.requireNonNull(slin8k).clone()));
        return this;
    }

    public Caller reply(String rawLine) {
        steps.add(new RawReply(Objects.requireNonNull(rawLine)));
        return this;
    }

    /** When the steps run out, keep silent instead of hanging up. */
    public Caller thenSilence() {
        silentWhenDone = true;
        return this;
    }

    private static void requireDigits(String digits) {
        if (digits == null || digits.isEmpty() || !digits.matches("[0-9*#A-D]+")) {
            throw new IllegalArgumentException("DTMF keys are 0-9, *, #, A-D: '" + digits + "'");
        }
    }

    // ---- used by FakeCall, one thread at a time ----

    Step peek() {
        Step s = steps.peekFirst();
        if (s != null) {
            return s;
        }
        return silentWhenDone ? new Silence() : new HangUp();
    }

    /** The step after the next one, or null (what {@link #peek} gives when the steps run out is not looked at). */
    Step peekSecond() {
        java.util.Iterator<Step> it = steps.iterator();
        if (!it.hasNext()) {
            return null;
        }
        it.next();
        return it.hasNext() ? it.next() : null;
    }

    boolean exhausted() {
        return steps.isEmpty();
    }

    Step peekOrNull() {
        return steps.peekFirst();
    }

    void consume() {
        steps.pollFirst();
    }

    void pushFront(Step step) {
        steps.addFirst(step);
    }

    /** A copy, so one script can drive many calls. */
    Caller copy() {
        Caller c = new Caller();
        c.steps.addAll(steps);
        c.silentWhenDone = silentWhenDone;
        return c;
    }
}
