package dev.ivr.server.tts;

import dev.ivr.server.audio.Pcm;

import java.util.Optional;

/** Text to speech as the prompt layer needs it: which voice speaks a language, and audio for a text. */
public interface Synthesizer {

    /** The voice configured for a language ({@code en-GB} falls back to {@code en}); empty when none. */
    Optional<String> voiceFor(String language);

    /** Whether {@link #synthesize} can work now. */
    boolean isReady();

    /** Whether {@link #synthesize} can work now with that voice (engines with several back ends differ per voice). */
    default boolean isReady(String voice) {
        return isReady();
    }

    /**
     * Speaks plain text with a voice, at the engine's own rate.
     *
     * @throws IllegalStateException when the engine is not (yet) available
     * @throws TtsException          when the engine fails on this text
     */
    Pcm synthesize(String text, String voice);

    /** Text to speech failed for one text. */
    final class TtsException extends RuntimeException {
        public TtsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
