package dev.ivr.server.call;

import java.time.Duration;
import java.util.Optional;

/**
 * The one interface between call logic and telephony: what a flow can do to a caller's
 * channel. The FastAGI implementation sends Asterisk commands; the simulator and tests
 * provide others, so flows run without sockets and the AGI layer is tested without flows.
 *
 * <p>Every method that needs the caller throws {@link CallerHungUpException} once the caller
 * has hung up, and {@link CallFailedException} when the connection to the PBX breaks.
 */
public interface CallChannel {

    /** Who is calling whom, from the AGI environment. */
    CallInfo info();

    /** Answers the channel (a no-op if already answered). */
    void answer();

    /**
     * Plays a sound file (name without extension, as Asterisk expects, or an http(s) URL).
     *
     * @param escapeDigits keys that stop the playback (barge-in); empty for none
     * @return the key that stopped it, or empty when it played to the end
     */
    Optional<Character> play(String file, String escapeDigits);

    /**
     * Plays a sound file until it ends, a key in {@code escapeDigits} is pressed, or {@code stop}
     * completes: then the playback is cut short at once (on Asterisk: by the next command, which
     * ends a STREAM FILE without a reply). For waits that must keep listening for keys: while a
     * prompt is rendered, while a caller waits for an agent.
     *
     * @return the key that stopped it, or empty (played to the end, or stopped)
     */
    default Optional<Character> playUntil(String file, String escapeDigits, java.util.concurrent.CompletableFuture<?> stop) {
        return stop.isDone() ? Optional.empty() : play(file, escapeDigits);
    }

    /**
     * Plays a prompt and collects digits (Asterisk GET DATA): keys pressed during the prompt
     * count; {@code #} ends the input and is not included. One command listens all along, so a key
     * typed between two others is never lost. {@code timeout} is the wait for each key, the first
     * after the prompt included; the input ends with a pause that long ({@link Digits#timedOut}),
     * at {@code #}, or with {@code maxDigits} keys (1 to {@value #MAX_DIGITS}: {@link #readsDigits}).
     *
     * @param promptFile the prompt, or {@code ""} for none: then it listens at once
     * @throws IllegalArgumentException when {@link #readsDigits} does not take {@code maxDigits} and {@code timeout}
     */
    Digits readDigits(String promptFile, Duration timeout, int maxDigits);

    /** The most keys {@link #readDigits} reads in one input: Asterisk's GET DATA takes 1024 as its own default. */
    int MAX_DIGITS = 1023;

    /**
     * Whether {@link #readDigits} takes these limits: 1 to {@value #MAX_DIGITS} keys and a timeout of at least a
     * millisecond (GET DATA takes 0 digits as a failure, and a timeout of 0 as its own defaults of 2 s and 6 s).
     */
    static boolean readsDigits(int maxDigits, Duration timeout) {
        return maxDigits >= 1 && maxDigits <= MAX_DIGITS && timeout.toMillis() > 0;
    }

    /** Waits for one key; empty on timeout. */
    Optional<Character> waitForDigit(Duration timeout);

    /**
     * Waits for one key until {@code timeout} passes or {@code stop} completes: then the wait is cut short at once
     * (on Asterisk: by the next command, a NOOP written off the call's thread; WAIT FOR DIGIT then answers
     * {@code result=1} and the NOOP its own reply). For the long waits of a caller waiting for an agent: one wait per
     * quiet stretch, cut when an agent is reserved.
     *
     * @return the key pressed, or empty (timed out, or stopped)
     */
    default Optional<Character> waitForDigitUntil(Duration timeout, java.util.concurrent.CompletableFuture<?> stop) {
        return stop.isDone() ? Optional.empty() : waitForDigit(timeout);
    }

    /** Speaks digits with the PBX's own sounds (SAY DIGITS), e.g. as a fallback without TTS. */
    Optional<Character> sayDigits(String digits, String escapeDigits);

    /** Spells text with the PBX's own sounds (SAY ALPHA). */
    Optional<Character> sayAlpha(String text, String escapeDigits);

    /**
     * Starts ({@code on}) or stops music on hold for the caller (Asterisk SET MUSIC): it plays
     * between commands and during waits for a key, until stopped or a prompt plays.
     *
     * @param musicClass the music-on-hold class, or null for the PBX's default
     */
    void musicOnHold(boolean on, String musicClass);

    void setVariable(String name, String value);

    /** A channel variable or dialplan function, e.g. {@code CALLERID(name)}; empty if unset. */
    Optional<String> getVariable(String name);

    /**
     * Runs a dialplan application (Dial, Voicemail, AudioSocket, ...) and returns its AGI
     * result code ({@code -2} when the application does not exist).
     */
    int exec(String application, String arguments);

    /**
     * Records the caller to {@code file.format}.
     *
     * @return how the recording ended
     */
    Recording record(String file, String format, String escapeDigits, Duration maxDuration,
                     Duration silence, boolean beep);

    /** A line in the Asterisk console at the given verbosity (1-4). */
    void verbose(String message, int level);

    /** Hangs the channel up (the server's side ends the call). */
    void hangup();

    /** Whether the caller (or the server) has hung up. */
    boolean isHungUp();

    /** Digits collected by {@link #readDigits}. */
    record Digits(String digits, boolean timedOut) {
        public boolean isEmpty() {
            return digits.isEmpty();
        }
    }

    /** How a recording ended: by a key, by silence/max duration, with its length in samples. */
    record Recording(Optional<Character> key, boolean timedOut, long endSample) {
    }
}
