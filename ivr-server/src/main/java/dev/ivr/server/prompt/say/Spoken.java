package dev.ivr.server.prompt.say;

import java.util.List;

/**
 * A value put into words: {@code text} is what is spoken (given to the TTS engine),
 * {@code written} how the language writes it (transcripts, simulator, screens); the segments
 * played for it in order, or none when the text is spoken as one utterance.
 */
public record Spoken(String text, String written, String language, List<String> segments) {
    public Spoken {
        segments = List.copyOf(segments);
    }

    /** Spoken and written text of one value, before it is tied to a language's audio. */
    public record Text(String spoken, String written) {
    }
}
