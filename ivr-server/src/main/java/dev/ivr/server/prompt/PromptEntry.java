package dev.ivr.server.prompt;

import java.nio.file.Path;

/**
 * One prompt of a catalog, in one language. At least one of text, audio, sound is set.
 *
 * @param text   what is said: spoken by TTS when there is no recording, and the transcript
 *               (simulator, flow tests) always; may contain variables such as ${customer.first_name}
 * @param audio  a recording shipped with the catalog, relative to its language directory
 * @param sound  a sound Asterisk already has (e.g. {@code beep}, {@code vm-goodbye})
 * @param source the catalog file and line that define it, for error messages
 */
public record PromptEntry(String id, String language, String text, String audio, String sound, Path source,
                          int line, int column) {

    public boolean hasRecording() {
        return audio != null || sound != null;
    }

    /** Where it is defined, as file:line:column. */
    public String location() {
        return source + ":" + line + ":" + column;
    }
}
