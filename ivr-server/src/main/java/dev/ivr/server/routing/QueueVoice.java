package dev.ivr.server.routing;

import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.render.Say;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the server itself says to a waiting caller: {@code system.*} prompts of the caller's
 * language, and numbers built from pre-rendered segments (no synthesis on the call's path).
 */
public interface QueueVoice {

    /** Prompt ids the wait uses (prompts/LANG/system.yaml). */
    String POSITION = "system.queue-position";
    String POSITION_END = "system.queue-position-end";
    String WAIT = "system.queue-wait";
    String MINUTE = "system.queue-wait-minute";
    String MINUTES = "system.queue-wait-minutes";
    String WAIT_SHORT = "system.queue-wait-short";
    /** What the estimated wait counts: the catalog's {@code say.count.minute} gives the noun's gender. */
    String MINUTE_NOUN = "minute";
    String CALLBACK_UNAVAILABLE = "system.callback-unavailable";
    String CALLBACK_NO_NUMBER = "system.callback-no-number";

    /** A catalog prompt, playable (STREAM FILE argument); empty when it has no audio in that language now. */
    Optional<String> prompt(String id, String language);

    /**
     * A number in words of the language, as pre-rendered segments to play one after the other
     * (no file is made per number: positions take thousands of values); empty without rules or
     * audio for the language.
     */
    Optional<List<String>> number(long n, String language);

    /**
     * A number counting a noun ("eine Minute", "un minuto"): segments in the gender the
     * language's catalog gives the noun ({@code say.count.<noun>}); the plain number by default.
     */
    default Optional<List<String>> count(long n, String noun, String language) {
        return number(n, language);
    }

    /** Over the server's prompt catalogs (as hot-reloaded), audio and spoken values. */
    static QueueVoice of(Supplier<PromptCatalog> catalog, PromptAudio audio, Say say) {
        return new QueueVoice() {
            @Override
            public Optional<String> prompt(String id, String language) {
                return catalog.get().find(id, language).flatMap(e -> audio.forPrompt(e, e.text()));
            }

            @Override
            public Optional<List<String>> number(long n, String language) {
                return say == null ? Optional.empty() : say.number(n, language).flatMap(say::segmentFiles);
            }

            @Override
            public Optional<List<String>> count(long n, String noun, String language) {
                return say == null ? Optional.empty() : say.count(n, noun, language).flatMap(say::segmentFiles);
            }
        };
    }
}
