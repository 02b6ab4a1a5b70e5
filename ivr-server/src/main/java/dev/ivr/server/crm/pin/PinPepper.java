package dev.ivr.server.crm.pin;

import dev.ivr.server.secrets.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PIN pepper: a secret kept outside the database (a key file), with which every PIN is
 * HMAC-SHA256'd before Argon2id. A copy of the database or an export of its hashes is then
 * worthless for guessing PINs offline without the file as well, however few digits a PIN has.
 * Each pepper has a short id (from a hash of it, not the secret); a PIN hash names the id it
 * was made with, so that after a rotation the earlier peppers still verify and the hash is
 * made again with the current one at the account's next good PIN, and a server with another
 * pepper than the hash's says so instead of taking a good PIN for a wrong one.
 */
public final class PinPepper {
    private static final Logger LOG = LoggerFactory.getLogger(PinPepper.class);
    /** The least key material a pepper file must hold. */
    public static final int MIN_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final String id;
    private final Map<String, byte[]> keys; // id -> key, the current first

    private PinPepper(Map<String, byte[]> keys) {
        this.keys = keys;
        this.id = keys.keySet().iterator().next();
    }

    /** A pepper from key material (tests, tools); {@code older} are accepted for verification only. */
    public static PinPepper of(byte[] current, byte[]... older) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(idOf(current), current.clone());
        for (byte[] k : older) {
            keys.putIfAbsent(idOf(k), k.clone());
        }
        return new PinPepper(keys);
    }

    /**
     * Reads the current pepper file and the earlier ones. An empty {@code file} means
     * {@code <dataDir>/pin-pepper}, which is generated (0600) when missing; a configured file
     * must exist.
     *
     * @throws IllegalStateException when a file is missing, too short or readable by other users
     */
    public static PinPepper load(String file, List<String> older, Path dataDir) {
        Path current;
        if (file == null || file.isBlank()) {
            current = dataDir.resolve("pin-pepper");
            generateIfMissing(current);
        } else {
            current = Path.of(file);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        byte[] key = read(current, "crm.pin-pepper-file");
        keys.put(idOf(key), key);
        for (String o : older) {
            byte[] k = read(Path.of(o), "crm.pin-old-pepper-files");
            keys.putIfAbsent(idOf(k), k);
        }
        PinPepper p = new PinPepper(keys);
        LOG.info("PIN pepper {} from {}{}", p.id, current, keys.size() > 1
                ? "; earlier peppers still accepted: " + String.join(", ", keys.keySet().stream().skip(1).toList()) : "");
        return p;
    }

    private static void generateIfMissing(Path file) {
        if (Files.exists(file)) {
            return;
        }
        byte[] random = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(random);
        try {
            PrivateFiles.directory(file.toAbsolutePath().getParent());
            byte[] text = (Base64.getEncoder().encodeToString(random) + "\n").getBytes(StandardCharsets.US_ASCII);
            try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC), PrivateFiles.fileAttributes(file))) {
                ch.write(ByteBuffer.wrap(text));
            }
            LOG.info("generated a PIN pepper in {}: keep it safe, and outside backups of the database;"
                    + " servers sharing a database need the same file (crm.pin-pepper-file)", file);
        } catch (FileAlreadyExistsException e) {
            // another process made it at the same moment: use theirs
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the PIN pepper file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(setting + ": the PIN pepper file " + file + " does not exist; create it, e.g."
                    + " (umask 077; head -c 32 /dev/urandom | base64 > " + file + ")");
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                        || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                    throw new IllegalStateException(setting + ": the PIN pepper file " + file
                            + " may be read or changed by other users; chmod 600 " + file + " (or 640 with the server's group)");
                }
            }
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int end = bytes.length;
            while (start < end && Character.isWhitespace(bytes[start])) {
                start++;
            }
            while (end > start && Character.isWhitespace(bytes[end - 1])) {
                end--;
            }
            byte[] key = Arrays.copyOfRange(bytes, start, end);
            Arrays.fill(bytes, (byte) 0);
            if (key.length < MIN_BYTES) {
                throw new IllegalStateException(setting + ": the PIN pepper file " + file + " holds " + key.length
                        + " bytes; it needs at least " + MIN_BYTES + " (e.g. head -c 32 /dev/urandom | base64)");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read the PIN pepper file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The short id of a pepper: the start of a SHA-256 of it (the secret cannot be learnt from it). */
    static String idOf(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("ivr PIN pepper id\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current pepper's id. */
    public String id() {
        return id;
    }

    /** Whether a pepper of this id is known here (the current one or an earlier one). */
    public boolean knows(String pepperId) {
        return keys.containsKey(pepperId);
    }

    /** The PIN keyed with the pepper of this id, as the text Argon2id hashes; null for an unknown id. */
    String mac(String pepperId, String pin) {
        byte[] key = keys.get(pepperId);
        if (key == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return Base64.getEncoder().withoutPadding()
                    .encodeToString(mac.doFinal((pin == null ? "" : pin).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
