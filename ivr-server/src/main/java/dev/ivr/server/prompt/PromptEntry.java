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
 * @param fallback a prompt of the same language said instead when this one has no audio in time
 *                 (a greeting with the caller's name not rendered within the latency budget): the
 *                 generic greeting rather than silence; null: none
 */
public record PromptEntry(String id, String language, String text, String audio, String sound, Path source,
                          int line, int column, String fallback) {

    public PromptEntry(String id, String language, String text, String audio, String sound, Path source, int line,
                       int column) {
        this(id, language, text, audio, sound, source, line, column, null);
    }

    public boolean hasRecording() {
        return audio != null || sound != null;
    }

    /** Where it is defined, as file:line:column. */
    public String location() {
        return source + ":" + line + ":" + column;
    }
}
