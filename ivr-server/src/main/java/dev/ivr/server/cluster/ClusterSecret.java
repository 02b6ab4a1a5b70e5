package dev.ivr.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.wire.ClusterKeys;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret the members of one cluster share: at least 32 random bytes in a file readable by the service user
 * only. Every key the cluster needs is derived from it (HKDF-SHA256, one purpose each): the key that seals
 * every value kept in or sent through the cluster, the tag that makes the cluster name unguessable, the key that
 * signs call-context tokens. None of them is ever stored in the cluster.
 *
 * <p>A member that binds to or joins anything beyond loopback refuses to start without a configured secret
 * file; on loopback one is generated in the data directory on first start ({@value #GENERATED}).
 */
public final class ClusterSecret implements ClusterKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecret.class);
    /** The file generated in the data directory when the cluster stays on loopback and none is configured. */
    public static final String GENERATED = "cluster.key";
    static final int MIN_BYTES = 32;
    private static final byte[] SALT = "ivr cluster secret".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] secret;
    private final Path file;

    private ClusterSecret(byte[] secret, Path file) {
        this.secret = secret;
        this.file = file;
    }

    /**
     * The configured secret file, or on loopback the one in {@code dataDir} (generated when missing).
     *
     * @throws IllegalStateException with what to do, when the file is missing, open to others or too short,
     *                               or when a cluster beyond loopback has no secret file configured
     */
    public static ClusterSecret load(ClusterConfig config, Path dataDir) {
        String configured = config.secretFile();
        if (configured == null || configured.isBlank()) {
            String beyond = beyondLoopback(config);
            if (beyond != null) {
                throw new IllegalStateException("the cluster reaches beyond loopback (" + beyond + ") but cluster.secret-file"
                        + " is not set: every member must hold the same secret file (at least 32 random bytes, e.g."
                        + " 'ivr-server cluster-key /etc/ivr/cluster.key'), readable by the service user only;"
                        + " see docs/security.md");
            }
            Path generated = dataDir.resolve(GENERATED);
            generateIfMissing(generated);
            return read(generated);
        }
        return read(Path.of(configured));
    }

    /** The secret of a member started by {@link ClusterMember} (kept in the member's local user context, never shared). */
    public static ClusterSecret of(HazelcastInstance hazelcast) {
        Object s = hazelcast.getUserContext().get(USER_CONTEXT_KEY);
        if (!(s instanceof ClusterSecret secret)) {
            throw new IllegalStateException("this Hazelcast member was not started with a cluster secret (ClusterMember.start)");
        }
        return secret;
    }

    void attachTo(com.hazelcast.config.Config config) {
        config.getUserContext().put(USER_CONTEXT_KEY, this);
    }

    /** A 256-bit key for one purpose (e.g. {@code "ivr/context-tokens/v1"}); the same on every member. */
    @Override
    public byte[] derive(String purpose) {
        return hkdf(secret, SALT, purpose, 32);
    }

    /**
     * 16 hex digits derived from the secret, appended to the cluster name: members without the secret cannot
     * name the cluster, so they are refused at the join. It tells nothing of the secret.
     */
    public String tag() {
        return HexFormat.of().formatHex(hkdf(secret, SALT, "ivr/cluster-name/v1", 8));
    }

    /** Where the secret was read from. */
    public Path file() {
        return file;
    }

    static byte[] hkdf(byte[] key, byte[] salt, String info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(key, salt, info.getBytes(StandardCharsets.UTF_8)));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    /** Null when every address the member binds to or joins is loopback; else the first one that is not. */
    static String beyondLoopback(ClusterConfig config) {
        if (config.multicast()) {
            return "multicast discovery";
        }
        if (!isLoopback(config.bind())) {
            return "cluster.bind " + config.bind();
        }
        for (String member : config.members()) {
            String host = member.startsWith("[") ? member.substring(1, member.indexOf(']'))
                    : member.contains(":") ? member.substring(0, member.lastIndexOf(':')) : member;
            if (!isLoopback(host)) {
                return "cluster.members " + member;
            }
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Writes a new secret (32 random bytes, base64) into a file that only its owner may read; refuses to overwrite. */
    public static void generate(Path file) {
        byte[] raw = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(raw);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) { // not a POSIX file system
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void generateIfMissing(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            generate(file);
            LOG.info("cluster secret generated in {} (loopback only; a cluster across hosts needs cluster.secret-file)", file);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof FileAlreadyExistsException)) { // another member of this data dir won the race
                throw new IllegalStateException("cannot create the cluster secret " + file + ": " + e.getCause().getMessage(), e);
            }
        }
    }

    static ClusterSecret read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("cluster secret file " + file + " does not exist (create one with"
                    + " 'ivr-server cluster-key " + file + "' and copy it to every member)");
        }
        checkPrivate(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster secret " + file + ": " + e.getMessage(), e);
        }
        byte[] secret = decode(text);
        if (secret == null || secret.length < MIN_BYTES) {
            throw new IllegalStateException("cluster secret file " + file + " must hold at least " + MIN_BYTES
                    + " random bytes written as base64 or hex (e.g. 'openssl rand -base64 32')");
        }
        return new ClusterSecret(secret, file);
    }

    private static byte[] decode(String text) {
        if (text.matches("[0-9a-fA-F]+") && text.length() % 2 == 0) {
            return HexFormat.of().parseHex(text);
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The file must belong to the user the server runs as and be closed to everyone else. */
    private static void checkPrivate(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            LOG.warn("cannot check who may read the cluster secret {} (not a POSIX file system): make sure only the"
                    + " service user can", file);
            return;
        }
        try {
            PosixFileAttributes a = view.readAttributes();
            Set<PosixFilePermission> open = new java.util.HashSet<>(a.permissions());
            open.retainAll(OTHERS);
            if (!open.isEmpty()) {
                throw new IllegalStateException("cluster secret file " + file + " is open to others ("
                        + PosixFilePermissions.toString(a.permissions()) + "): chmod 600 " + file);
            }
            String me = System.getProperty("user.name");
            if (me != null && !a.owner().getName().equals(me)) {
                throw new IllegalStateException("cluster secret file " + file + " belongs to " + a.owner().getName()
                        + ", not to the user the server runs as (" + me + "): chown " + me + " " + file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot check the cluster secret file " + file + ": " + e.getMessage(), e);
        }
    }
}
