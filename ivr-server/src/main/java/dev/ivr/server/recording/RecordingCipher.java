package dev.ivr.server.recording;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encryption of recordings at rest: AES-256-GCM (the JDK's), a fresh 96-bit nonce per file, the
 * recording's id as associated data (a file renamed to another recording's does not decrypt). File
 * layout: {@code "IVRREC1\n"}, the nonce (12 bytes), the ciphertext with its 128-bit tag.
 */
public final class RecordingCipher {
    private static final byte[] MAGIC = "IVRREC1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public RecordingCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the recording key must be 32 bytes (AES-256), got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** Reads the key file: 32 bytes in base64 (surrounding white space ignored). */
    public static RecordingCipher fromKeyFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not base64 (make one with: openssl rand -base64 32)", e);
        }
        try {
            return new RecordingCipher(key);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Encrypts {@code plain} into {@code out} (written whole, then moved into place atomically by the caller). */
    public void encrypt(String recordingId, InputStream plain, OutputStream out) throws IOException {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        Cipher c = cipher(Cipher.ENCRYPT_MODE, recordingId, nonce);
        out.write(MAGIC);
        out.write(nonce);
        CipherOutputStream enc = new CipherOutputStream(out, c);
        plain.transferTo(enc);
        enc.close(); // writes the tag; closes out
    }

    /** Decrypts a whole file into memory, the tag checked (for playback: recordings are a few MB). */
    public byte[] decryptAll(String recordingId, Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + NONCE || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException("not an encrypted recording: " + file.getFileName());
        }
        byte[] nonce = Arrays.copyOfRange(all, MAGIC.length, MAGIC.length + NONCE);
        try {
            return cipher(Cipher.DECRYPT_MODE, recordingId, nonce).doFinal(all, MAGIC.length + NONCE,
                    all.length - MAGIC.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IOException("recording " + recordingId + " does not decrypt (wrong key, or altered): " + e.getMessage(), e);
        }
    }

    private Cipher cipher(int mode, String recordingId, byte[] nonce) throws IOException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(recordingId.getBytes(StandardCharsets.UTF_8));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM unavailable: " + e.getMessage(), e);
        }
    }
}
