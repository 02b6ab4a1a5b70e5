package dev.ivr.server.speech.audiosocket;

/** The peer broke the AudioSocket protocol; the session it belongs to ends. */
public final class AudioSocketProtocolException extends RuntimeException {
    public AudioSocketProtocolException(String message) {
        super(message);
    }
}
