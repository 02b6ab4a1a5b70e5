package dev.ivr.server.prompt;

import dev.ivr.server.call.Speaker;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
     * {@link #forPrompt} without blocking: done at once when the prompt is ready; otherwise it
     * completes when it is rendered, or empty once the latency budget is over (the caller then
     * goes on without it). Meanwhile the call can keep listening for keys ({@link #waitingSound()}).
     */
    default CompletableFuture<Optional<String>> prepare(PromptEntry prompt, String renderedText) {
        return CompletableFuture.completedFuture(forPrompt(prompt, renderedText));
    }

    /** {@link #fileFor} without blocking, as {@link #prepare}. */
    default CompletableFuture<Optional<String>> prepareText(String text, String language) {
        return CompletableFuture.completedFuture(fileFor(text, language));
    }

    /**
     * Starts rendering a prompt a call will probably need soon (a greeting with the caller's
     * name once the caller is known), without waiting and without counting it as a call's wait.
     */
    default void prefetch(PromptEntry prompt, String renderedText) {
    }

    /**
     * Renders a prompt ahead of any call, behind everything calls wait for (a greeting with the
     * name of a customer who may call: names are known before they call).
     *
     * @return done when the prompt is rendered, or failed when it is not (another server of the cluster renders it,
     *         text to speech is down): for pacing only, nobody needs its value
     */
    default CompletableFuture<?> prerender(PromptEntry prompt, String renderedText) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A silent sound the PBX plays while a prompt is being rendered, so that keys the caller
     * presses meanwhile are heard (Asterisk drops keys that come while no command runs); empty:
     * none, the call waits without a command.
     */
    default Optional<String> waitingSound() {
        return Optional.empty();
    }

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
