package dev.ivr.server.prompt.voice;

import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.prompt.render.Say;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a language without a TTS voice lacks: prompts that have a text but no recording
 * (and no Asterisk sound), and the number/date segments that must be recorded. For the flow
 * validator and {@code ivr-server check-prompts}.
 */
public final class PromptChecks {
    private PromptChecks() {
    }

    /**
     * One line per problem, {@code file:line:column: message} where a catalog entry is at fault.
     *
     * @param voiceFor the TTS voice of a language, if it has one
     */
    public static List<String> missingRecordings(PromptCatalog catalog, Function<String, Optional<String>> voiceFor) {
        List<String> problems = new ArrayList<>();
        for (String lang : catalog.languages()) {
            boolean voice = voiceFor.apply(lang).isPresent();
            if (voice) {
                continue;
            }
            for (PromptEntry e : catalog.prompts(lang).values()) {
                if (!e.hasRecording()) {
                    problems.add(e.location() + ": prompt '" + e.id() + "' (" + lang + ") has a text but no recording, and "
                            + lang + " has no TTS voice: add 'audio: <file>' (or 'sound: <name>'), or configure tts.voices."
                            + lang);
                }
            }
            List<String> segments = Say.missingSegments(catalog, lang, false);
            if (!segments.isEmpty()) {
                problems.add(catalog.languageDir(lang) + ": numbers, amounts, dates and times in " + lang + " need "
                        + segments.size() + " recorded segment(s) (prompts say.<id> with audio): "
                        + String.join(", ", segments.stream().map(s -> "say." + s).toList()));
            }
        }
        return problems;
    }
}
