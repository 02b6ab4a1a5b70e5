package dev.ivr.server.prompt;

import dev.ivr.server.call.Speaker;

import java.util.Optional;

/**
 * Makes what the caller hears into something the PBX can play: the argument of STREAM FILE
 * (a sound name, a file path Asterisk sees without extension, or an http URL). Never a name
 * that does not exist: empty when nothing playable can be made now (then the caller must be
 * told otherwise, or the prompt skipped with a log line).
 */
public interface PromptAudio extends Speaker {

    /**
     * A catalog prompt. {@code renderedText} is its text with variables already filled in by
     * the flow (null when the prompt has no text).
     */
    Optional<String> forPrompt(PromptEntry prompt, String renderedText);

    /** Inline text (say nodes with text, dynamic values). */
    @Override
    Optional<String> fileFor(String text, String language);

    /**
     * Without text to speech: prompts with an Asterisk {@code sound} play it; everything else
     * is empty. What the server uses when TTS is switched off.
     */
    static PromptAudio recordingsOnly() {
        return new PromptAudio() {
            @Override
            public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
                return Optional.ofNullable(prompt.sound());
            }

            @Override
            public Optional<String> fileFor(String text, String language) {
                return Optional.empty();
            }
        };
    }
}
