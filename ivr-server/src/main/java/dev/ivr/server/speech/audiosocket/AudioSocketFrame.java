package dev.ivr.server.speech.audiosocket;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * One AudioSocket frame: 1 byte kind, 2 bytes big-endian payload length, payload
 * (Asterisk's app_audiosocket / res_audiosocket).
 */
public record AudioSocketFrame(int kind, byte[] payload) {
    public static final int HANGUP = 0x00;
    public static final int UUID_KIND = 0x01;
    public static final int DTMF = 0x03;
    public static final int AUDIO = 0x10;
    public static final int ERROR = 0xff;
    /** 20 ms of 8 kHz 16-bit signed linear: what Asterisk sends. */
    public static final int AUDIO_FRAME_BYTES = 320;
    /** The largest payload accepted; anything longer is a protocol error. */
    public static final int MAX_PAYLOAD = 4096;

    private static final byte[] SILENCE = new byte[AUDIO_FRAME_BYTES];

    /** The frame as sent on the wire. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(3 + payload.length);
        b.put((byte) kind).putShort((short) payload.length).put(payload);
        return b.array();
    }

    public static AudioSocketFrame hangup() {
        return new AudioSocketFrame(HANGUP, new byte[0]);
    }

    public static AudioSocketFrame silence() {
        return new AudioSocketFrame(AUDIO, SILENCE);
    }

    public static AudioSocketFrame uuid(UUID id) {
        return new AudioSocketFrame(UUID_KIND, ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array());
    }

    /** The UUID of a {@link #UUID_KIND} frame. */
    public UUID asUuid() {
        if (kind != UUID_KIND || payload.length != 16) {
            throw new AudioSocketProtocolException("a UUID frame has 16 bytes (got kind " + kind + ", " + payload.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return new UUID(b.getLong(), b.getLong());
    }

    @Override
    public String toString() {
        return "AudioSocketFrame[kind=0x" + Integer.toHexString(kind) + ", " + payload.length + " bytes]";
    }
}
