package dev.ivr.server.speech.audiosocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Splits a byte stream into {@link AudioSocketFrame}s, however TCP cuts it. Rejects unknown
 * kinds and payloads over {@link AudioSocketFrame#MAX_PAYLOAD} with an
 * {@link AudioSocketProtocolException} before buffering them.
 */
public final class AudioSocketDecoder {
    private static final Set<Integer> KINDS = Set.of(AudioSocketFrame.HANGUP, AudioSocketFrame.UUID_KIND,
            AudioSocketFrame.DTMF, AudioSocketFrame.AUDIO, AudioSocketFrame.ERROR);

    private final byte[] header = new byte[3];
    private int headerFill;
    private byte[] payload;
    private int payloadFill;

    /** Feeds bytes; returns the frames they complete. */
    public List<AudioSocketFrame> feed(byte[] bytes) {
        List<AudioSocketFrame> out = new ArrayList<>();
        feed(bytes, out::add);
        return out;
    }

    /**
     * Feeds bytes, handing each completed frame to {@code sink} in order: frames before a
     * protocol error are delivered before it is thrown.
     */
    public void feed(byte[] bytes, Consumer<AudioSocketFrame> sink) {
        int i = 0;
        while (i < bytes.length) {
            if (payload == null) {
                header[headerFill++] = bytes[i++];
                if (headerFill == 3) {
                    int kind = header[0] & 0xff;
                    int len = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                    if (!KINDS.contains(kind)) {
                        throw new AudioSocketProtocolException("unknown frame kind 0x" + Integer.toHexString(kind));
                    }
                    if (len > AudioSocketFrame.MAX_PAYLOAD) {
                        throw new AudioSocketProtocolException("frame of " + len + " bytes is over the limit of "
                                + AudioSocketFrame.MAX_PAYLOAD);
                    }
                    headerFill = 0;
                    payload = new byte[len];
                    payloadFill = 0;
                    if (len == 0) {
                        sink.accept(new AudioSocketFrame(kind, payload));
                        payload = null;
                    }
                }
            } else {
                int n = Math.min(payload.length - payloadFill, bytes.length - i);
                System.arraycopy(bytes, i, payload, payloadFill, n);
                payloadFill += n;
                i += n;
                if (payloadFill == payload.length) {
                    sink.accept(new AudioSocketFrame(header0(), payload));
                    payload = null;
                }
            }
        }
    }

    private int header0() {
        return header[0] & 0xff;
    }

    /** Whether a frame is partly received (a close now cuts it). */
    public boolean inFrame() {
        return headerFill > 0 || payload != null;
    }
}
