package dev.ivr.server.prompt.say;

import java.util.List;

/**
 * A value put into words: the text (for transcripts and the simulator) and the segments
 * that are played for it, in order.
 */
public record Spoken(String text, String language, List<String> segments) {
    public Spoken {
        segments = List.copyOf(segments);
    }
}
