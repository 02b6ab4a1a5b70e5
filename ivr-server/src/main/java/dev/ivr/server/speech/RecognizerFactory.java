package dev.ivr.server.speech;

import java.util.List;

/** Makes recognizers per language; says whether a language can be recognised at all. */
public interface RecognizerFactory extends AutoCloseable {

    /** Whether speech in this language can be recognised, and if not, why (for validation). */
    ModelStatus status(String language);

    /**
     * A recognizer for one utterance.
     *
     * @param phrases when not empty, recognition is restricted to these phrases (a grammar);
     *                empty for free text
     * @throws SpeechUnavailableException when the language has no usable model
     */
    Recognizer open(String language, List<String> phrases);

    @Override
    default void close() {
    }

    /**
     * Whether a language is usable, with the reason when not.
     *
     * @param freeText whether free text (a listen without phrases) can be recognised too, not
     *                 only phrases (a grammar)
     */
    record ModelStatus(String language, boolean available, String detail, boolean freeText) {
        /** A status where phrases and free text are both recognised when the language is available. */
        public ModelStatus(String language, boolean available, String detail) {
            this(language, available, detail, available);
        }
    }

    /** No recognizer for that language, with a message for the log. */
    final class SpeechUnavailableException extends RuntimeException {
        public SpeechUnavailableException(String message) {
            super(message);
        }

        public SpeechUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
