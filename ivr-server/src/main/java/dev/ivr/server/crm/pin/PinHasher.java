package dev.ivr.server.crm.pin;

import dev.ivr.server.config.PinHashConfig;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PIN hashes: Argon2id (Bouncy Castle) with a random salt, stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. Verifying also accepts bcrypt
 * ({@code $2a$}/{@code $2b$}/{@code $2y$}) hashes imported from older systems.
 *
 * <p>{@link #verify} with no stored hash (an unknown account) checks the PIN against a dummy
 * hash of the configured cost, so an unknown account takes as long as a wrong PIN.
 */
public final class PinHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final PinHashConfig cost;
    private final String prefix;
    private final SecureRandom random = new SecureRandom();
    private final String dummy;

    public PinHasher(PinHashConfig cost) {
        this.cost = cost;
        this.prefix = "$argon2id$v=19$m=" + cost.memory() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$";
        byte[] pin = new byte[8];
        random.nextBytes(pin);
        this.dummy = hash(B64.encodeToString(pin));
    }

    /** A new salted hash of the PIN at the configured cost. */
    public String hash(String pin) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(pin, salt, cost.memory(), cost.iterations(), cost.parallelism(), HASH_BYTES);
        return prefix + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Whether the PIN matches the stored hash. With a null or unreadable hash, spends the same
     * time on a dummy hash and answers false.
     */
    public boolean verify(String pin, String stored) {
        String p = pin == null ? "" : pin;
        if (stored != null) {
            Matcher m = PHC.matcher(stored);
            if (m.matches() && sane(m)) {
                byte[] salt = B64D.decode(m.group(4));
                byte[] expected = B64D.decode(m.group(5));
                byte[] actual = argon2(p, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), expected.length);
                return MessageDigest.isEqual(expected, actual);
            }
            if (BCRYPT.matcher(stored).matches()) {
                return OpenBSDBCrypt.checkPassword(stored, p.toCharArray());
            }
        }
        verify(p, dummy);
        return false;
    }

    /** Whether a stored hash is of another kind or cost than configured (then it is replaced at the next good PIN). */
    public boolean needsRehash(String stored) {
        return stored == null || !stored.startsWith(prefix);
    }

    /** Whether a value is a hash this class can verify (for imports of existing hashes). */
    public static boolean isHash(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = PHC.matcher(value);
        return m.matches() && sane(m) || BCRYPT.matcher(value).matches();
    }

    /** Cost parameters within what the configuration allows: a stored hash cannot make us allocate gigabytes. */
    private static boolean sane(Matcher m) {
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        return parallelism >= 1 && parallelism <= 64 && memory >= 8 * parallelism && memory <= 4 * 1024 * 1024
                && iterations >= 1 && iterations <= 100;
    }

    private static byte[] argon2(String pin, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        byte[] pinBytes = pin.getBytes(StandardCharsets.UTF_8);
        try {
            gen.generateBytes(pinBytes, out);
        } finally {
            Arrays.fill(pinBytes, (byte) 0);
        }
        return out;
    }
}
