package dev.ivr.server.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingCipherTest {

    @TempDir
    Path dir;

    @Test
    void encryptsAndDecryptsAFileWithTheKeyOfAKeyFile() throws IOException {
        Path keyFile = keyFile(1);
        RecordingCipher cipher = RecordingCipher.fromKeyFile(keyFile);
        byte[] audio = new byte[300_000];
        new Random(7).nextBytes(audio);
        Path enc = dir.resolve("r.wav.enc");
        try (OutputStream out = Files.newOutputStream(enc)) {
            cipher.encrypt("abc123", new ByteArrayInputStream(audio), out);
        }
        byte[] stored = Files.readAllBytes(enc);
        assertThat(new String(stored, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("IVRREC1\n");
        assertThat(stored.length).isEqualTo(8 + 12 + audio.length + 16);
        assertThat(indexOf(stored, java.util.Arrays.copyOfRange(audio, 1000, 1032))).as("no plaintext at rest").isEqualTo(-1);

        assertThat(RecordingCipher.fromKeyFile(keyFile).decryptAll("abc123", enc)).isEqualTo(audio);
    }

    @Test
    void anAlteredFileAnotherRecordingsIdOrAnotherKeyDoNotDecrypt() throws IOException {
        RecordingCipher cipher = RecordingCipher.fromKeyFile(keyFile(1));
        Path enc = dir.resolve("r.enc");
        try (OutputStream out = Files.newOutputStream(enc)) {
            cipher.encrypt("id-1", new ByteArrayInputStream("hello caller".getBytes(StandardCharsets.UTF_8)), out);
        }
        assertThatThrownBy(() -> cipher.decryptAll("id-2", enc)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RecordingCipher.fromKeyFile(keyFile(2)).decryptAll("id-1", enc))
                .isInstanceOf(IOException.class);
        byte[] b = Files.readAllBytes(enc);
        b[b.length - 20] ^= 1;
        Path altered = Files.write(dir.resolve("altered.enc"), b);
        assertThatThrownBy(() -> cipher.decryptAll("id-1", altered)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not decrypt");
        Path plain = Files.writeString(dir.resolve("plain.wav"), "RIFF....WAVE");
        assertThatThrownBy(() -> cipher.decryptAll("id-1", plain)).hasMessageContaining("not an encrypted recording");
    }

    @Test
    void aKeyFileMustHold32BytesOfBase64() throws IOException {
        Path shortKey = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> RecordingCipher.fromKeyFile(shortKey)).isInstanceOf(IOException.class)
                .hasMessageContaining("32 bytes");
        Path notBase64 = Files.writeString(dir.resolve("bad.key"), "not base64 at all!");
        assertThatThrownBy(() -> RecordingCipher.fromKeyFile(notBase64)).hasMessageContaining("openssl rand -base64 32");
    }

    private Path keyFile(int seed) throws IOException {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return Files.writeString(dir.resolve("key-" + seed), Base64.getEncoder().encodeToString(key) + "\n");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
