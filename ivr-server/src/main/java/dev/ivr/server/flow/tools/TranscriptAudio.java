package dev.ivr.server.flow.tools;

import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;

import java.util.Optional;

/**
 * Audio for a PBX that does not exist: every prompt is "playable" (the simulated caller hears
 * its text, which the engine reports), so barge-in and hang-ups during prompts behave as on
 * a real call.
 */
public final class TranscriptAudio implements PromptAudio {
    @Override
    public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
        return Optional.of("sim/" + prompt.language() + "/" + prompt.id());
    }

    @Override
    public Optional<String> fileFor(String text, String language) {
        return Optional.of("sim/" + language + "/text");
    }
}
