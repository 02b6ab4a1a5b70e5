package dev.ivr.server.speech;

import java.time.Duration;
import java.util.List;

/**
 * What a listen node (or a menu that accepts speech) asks for.
 *
 * @param language       the caller's language (picks the model)
 * @param phrases        what may be said (recognition is restricted to them); empty for free text
 * @param noInputTimeout how long to wait for speech to start; null for speech.no-input-timeout
 * @param keys           keys that end listening and count as the answer (e.g. "0123456789*#"); empty for none
 */
public record ListenRequest(String language, List<String> phrases, Duration noInputTimeout, String keys) {
    public ListenRequest {
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
        keys = keys == null ? "" : keys;
    }

    public static ListenRequest freeText(String language) {
        return new ListenRequest(language, List.of(), null, "");
    }

    public static ListenRequest phrases(String language, List<String> phrases, String keys) {
        return new ListenRequest(language, phrases, null, keys);
    }
}
