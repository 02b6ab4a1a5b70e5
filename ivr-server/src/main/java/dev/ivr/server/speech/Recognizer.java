package dev.ivr.server.speech;

/**
 * Speech recognition for one utterance: audio in (8 kHz 16-bit signed linear, little-endian,
 * mono, as AudioSocket delivers it), the best hypothesis out. One instance per session, used
 * by one thread.
 */
public interface Recognizer extends AutoCloseable {

    /** Feeds audio; {@code length} bytes of {@code slin} (an even number). */
    void accept(byte[] slin, int length);

    /** Ends the utterance and returns what was said (empty text when nothing was recognised). */
    Recognition finish();

    @Override
    void close();

    /**
     * @param text       the words recognised, lower case; empty for nothing
     * @param confidence 0..1 (mean of the words' confidences)
     */
    record Recognition(String text, double confidence) {
        public static final Recognition NOTHING = new Recognition("", 0);

        public boolean isEmpty() {
            return text.isBlank();
        }
    }
}
