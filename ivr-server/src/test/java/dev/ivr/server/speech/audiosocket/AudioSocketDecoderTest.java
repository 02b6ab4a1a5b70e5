package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.speech.Speech;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudioSocketDecoderTest {

    @Test
    void framesSurviveAnyTcpSegmentation() {
        UUID id = UUID.randomUUID();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(AudioSocketFrame.uuid(id).encode());
        wire.writeBytes(new AudioSocketFrame(AudioSocketFrame.AUDIO, Speech.word(20)).encode());
        wire.writeBytes(new AudioSocketFrame(AudioSocketFrame.DTMF, new byte[]{'5'}).encode());
        wire.writeBytes(AudioSocketFrame.hangup().encode());
        byte[] bytes = wire.toByteArray();
        for (int chunk : new int[]{1, 2, 3, 7, 319, bytes.length}) {
            AudioSocketDecoder d = new AudioSocketDecoder();
            List<AudioSocketFrame> frames = new ArrayList<>();
            for (int off = 0; off < bytes.length; off += chunk) {
                byte[] part = java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chunk));
                frames.addAll(d.feed(part));
            }
            assertThat(frames).extracting(AudioSocketFrame::kind).containsExactly(0x01, 0x10, 0x03, 0x00);
            assertThat(frames.get(0).asUuid()).isEqualTo(id);
            assertThat(frames.get(1).payload()).isEqualTo(Speech.word(20));
            assertThat(d.inFrame()).isFalse();
        }
    }

    @Test
    void unknownKindsAndOversizedFramesAreProtocolErrors() {
        assertThatThrownBy(() -> new AudioSocketDecoder().feed(new byte[]{0x42, 0, 0}))
                .isInstanceOf(AudioSocketProtocolException.class).hasMessageContaining("unknown frame kind 0x42");
        assertThatThrownBy(() -> new AudioSocketDecoder().feed(new byte[]{0x10, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(AudioSocketProtocolException.class).hasMessageContaining("65535 bytes is over the limit");
        assertThatThrownBy(() -> new AudioSocketFrame(AudioSocketFrame.UUID_KIND, new byte[3]).asUuid())
                .isInstanceOf(AudioSocketProtocolException.class);
    }
}
