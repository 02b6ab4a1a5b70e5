package dev.ivr.server.secrets;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id hashes (Bouncy Castle) with a random 16-byte salt, in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, shared by the CRM's PINs and the
 * desk's passwords. The cost is read back from each stored hash, within limits, so that it can
 * be raised later without invalidating what is stored, and a stored hash cannot make the server
 * allocate gigabytes or loop for minutes.
 */
public final class Argon2id {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private Argon2id() {
    }

    /** Memory in KiB, passes, lanes: the cost of one hash, or the most a stored hash may ask for. */
    public record Cost(int memoryKib, int iterations, int parallelism) {
        /** What every hash of this cost starts with. */
        public String prefix() {
            return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$";
        }
    }

    /** A new salted hash of the secret at this cost. */
    public static String hash(String secret, Cost cost, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(secret, salt, cost.memoryKib(), cost.iterations(), cost.parallelism(), HASH_BYTES);
        return cost.prefix() + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code stored} is an Argon2id hash whose cost is within {@code max}. */
    public static boolean isHash(String stored, Cost max) {
        return stored != null && readable(PHC.matcher(stored), max);
    }

    /**
     * Whether the secret matches the stored hash. When the stored value is not an Argon2id hash
     * within {@code max} (an unknown user or account, a broken value), the secret is checked
     * against {@code dummy} instead and the answer is false: the time taken does not tell
     * whether a hash existed.
     */
    public static boolean verify(String secret, String stored, Cost max, String dummy) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !readable(m, max)) {
            Matcher d = PHC.matcher(dummy);
            if (d.matches()) {
                compare(secret, d);
            }
            return false;
        }
        return compare(secret, m);
    }

    private static boolean compare(String secret, Matcher m) {
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = argon2(secret == null ? "" : secret, salt, Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static boolean readable(Matcher m, Cost max) {
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        return parallelism >= 1 && parallelism <= max.parallelism() && memory >= 8 * parallelism
                && memory <= max.memoryKib() && iterations >= 1 && iterations <= max.iterations();
    }

    private static byte[] argon2(String secret, byte[] salt, int memory, int iterations, int parallelism, int length) {
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
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        try {
            gen.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return out;
    }
}
