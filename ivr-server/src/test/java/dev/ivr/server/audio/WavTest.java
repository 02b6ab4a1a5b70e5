package dev.ivr.server.audio;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.ivr.server.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WavTest {

    @Test
    void writesAsteriskReadableRiffHeader() throws Exception {
        Pcm pcm = tone(440, 8000, 0.5, 0.3);
        byte[] wav = AsteriskFormat.WAV.encode(pcm);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, "US-ASCII")).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(wav.length - 8);
        assertThat(new String(wav, 8, 8, "US-ASCII")).isEqualTo("WAVEfmt ");
        assertThat(b.getShort(20)).isEqualTo((short) 1);   // PCM
        assertThat(b.getShort(22)).isEqualTo((short) 1);   // mono
        assertThat(b.getInt(24)).isEqualTo(8000);
        assertThat(b.getShort(34)).isEqualTo((short) 16);
        assertThat(b.getInt(40)).isEqualTo(pcm.length() * 2);
        assertThat(Wav.read(wav)).isEqualTo(pcm);
    }

    @Test
    void sln16IsRawSamples() throws Exception {
        Pcm pcm = tone(440, 16000, 0.25, 0.3);
        byte[] raw = AsteriskFormat.SLN16.encode(pcm);
        assertThat(raw).hasSize(pcm.length() * 2);
        assertThat(AsteriskFormat.SLN16.decode(raw)).isEqualTo(pcm);
        assertThatThrownBy(() -> AsteriskFormat.SLN16.encode(tone(440, 8000, 0.1, 0.3)))
                .hasMessageContaining("16000 Hz");
    }

    @Test
    void stereoRecordingsAreMixedToMono() throws Exception {
        // a 44.1 kHz stereo WAV as a studio would deliver it
        int frames = 441;
        ByteBuffer data = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            data.putShort((short) 1000).putShort((short) 3000);
        }
        ByteBuffer b = ByteBuffer.allocate(44 + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 2).putInt(44100).putInt(44100 * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes()).putInt(data.capacity()).put(data.array());
        Pcm pcm = Wav.read(b.array());
        assertThat(pcm.sampleRate()).isEqualTo(44100);
        assertThat(pcm.length()).isEqualTo(frames);
        assertThat(pcm.samples()[10]).isEqualTo((short) 2000);
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> Wav.read("not audio at all".getBytes())).hasMessageContaining("not a supported sound file");
    }
}
