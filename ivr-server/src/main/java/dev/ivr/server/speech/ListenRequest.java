package dev.ivr.server.speech;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a listen node (or a menu that accepts speech) asks for.
 *
 * @param language       the caller's language (picks the model)
 * @param phrases        what may be said (recognition is restricted to them); empty for free text
 * @param noInputTimeout how long to wait for speech to start; null for speech.no-input-timeout
 * @param keys           keys that end listening and count as the answer (e.g. "0123456789*#"); empty for none
 * @param endSilence     silence after speech that ends it; null for speech.end-silence
 * @param maxDuration    longest utterance; null for speech.max-duration
 */
public record ListenRequest(String language, List<String> phrases, Duration noInputTimeout, String keys,
                            Duration endSilence, Duration maxDuration) {
    public ListenRequest {
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
        keys = keys == null ? "" : keys;
    }

    public ListenRequest(String language, List<String> phrases, Duration noInputTimeout, String keys) {
        this(language, phrases, noInputTimeout, keys, null, null);
    }

    public static ListenRequest freeText(String language) {
        return new ListenRequest(language, List.of(), null, "");
    }

    public static ListenRequest phrases(String language, List<String> phrases, String keys) {
        return new ListenRequest(language, phrases, null, keys);
    }

    /**
     * How phrases and what was recognised are compared: lower case, punctuation as spaces,
     * single spaces. Two phrases with the same normal form are the same phrase.
     */
    public static String normalise(String phrase) {
        return phrase.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]", " ").replaceAll("\\s+", " ").strip();
    }
}
