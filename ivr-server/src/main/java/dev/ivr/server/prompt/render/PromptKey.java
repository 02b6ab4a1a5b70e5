package dev.ivr.server.prompt.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Content keys of rendered audio: a hash of everything that decides the sound (pipeline
 * version, voice, text; or a recording's bytes; or the parts of a joined prompt), so equal
 * content is rendered once and anything that changes the sound gets a new name. Keys are
 * 40 lower-case hex digits: unguessable without the content, safe as file and URL names.
 */
public final class PromptKey {
    /** Bump when the audio pipeline changes what it produces (old cache entries are then unused). */
    public static final String PIPELINE_VERSION = "mastering-1";
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    /** Cloned for each use: MessageDigest.getInstance looks the provider up every time (one virtual thread per call: no ThreadLocal). */
    private static final MessageDigest SHA256 = newDigest();

    private PromptKey() {
    }

    public static String forText(String voice, String text) {
        return hash("tts", voice, normalise(text));
    }

    public static String forRecording(byte[] content) {
        return hash("recording", HexFormat.of().formatHex(sha256(content)));
    }

    /** Silence of this length (played while a prompt is rendered). */
    public static String forSilence(int millis) {
        return hash("silence", Integer.toString(millis));
    }

    public static String forJoin(List<String> keys, int gapMillis) {
        return hash("join", String.join(",", keys), Integer.toString(gapMillis));
    }

    public static boolean isKey(String s) {
        return s != null && KEY.matcher(s).matches();
    }

    /** Texts that differ only in blanks sound the same. */
    static String normalise(String text) {
        return BLANKS.matcher(text.strip()).replaceAll(" ");
    }

    private static String hash(String... parts) {
        MessageDigest md = digest();
        md.update(PIPELINE_VERSION.getBytes(StandardCharsets.UTF_8));
        for (String p : parts) {
            md.update((byte) 0);
            md.update(p.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 40);
    }

    private static byte[] sha256(byte[] b) {
        return digest().digest(b);
    }

    private static MessageDigest digest() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newDigest();
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
