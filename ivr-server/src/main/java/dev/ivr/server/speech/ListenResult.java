package dev.ivr.server.speech;

/**
 * How listening ended.
 *
 * @param text       what was recognised (one of the phrases when phrases were given); empty otherwise
 * @param confidence 0..1
 * @param key        the key pressed, for {@link Outcome#KEY}
 * @param detail     for the log: why there is no result
 */
public record ListenResult(Outcome outcome, String text, double confidence, String key, String detail) {

    public enum Outcome {
        /** The caller said something that was recognised (and matched a phrase, when phrases were given). */
        SPEECH,
        /** The caller spoke, but nothing (or nothing among the phrases) was recognised. */
        NO_MATCH,
        /** The caller did not speak. */
        NO_INPUT,
        /** The caller pressed a key instead. */
        KEY,
        /** The caller hung up while listening. */
        HANGUP,
        /** Speech input is not available (no model, no AudioSocket, a protocol error): fall back to keys. */
        ERROR
    }

    public static ListenResult speech(String text, double confidence) {
        return new ListenResult(Outcome.SPEECH, text, confidence, "", "");
    }

    public static ListenResult noMatch(String heard) {
        return new ListenResult(Outcome.NO_MATCH, "", 0, "", heard.isBlank() ? "nothing recognised" : "heard '" + heard + "'");
    }

    public static ListenResult noInput() {
        return new ListenResult(Outcome.NO_INPUT, "", 0, "", "no speech");
    }

    public static ListenResult key(char key) {
        return new ListenResult(Outcome.KEY, "", 1, Character.toString(key), "");
    }

    public static ListenResult hangup() {
        return new ListenResult(Outcome.HANGUP, "", 0, "", "the caller hung up");
    }

    public static ListenResult error(String detail) {
        return new ListenResult(Outcome.ERROR, "", 0, "", detail);
    }
}
