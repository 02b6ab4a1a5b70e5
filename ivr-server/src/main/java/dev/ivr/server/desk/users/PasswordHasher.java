package dev.ivr.server.desk.users;

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
 * Password hashes: Argon2id (Bouncy Castle, as the CRM's PIN hashes) with a random 16-byte salt,
 * stored in the PHC string format {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (OWASP's
 * minimum: 19 MiB, 2 passes). The cost is read back from each stored hash, so it can be raised
 * later without invalidating existing passwords.
 *
 * <p>{@link #verify} with no stored hash (an unknown user) spends the same time on a dummy hash,
 * so a response time does not tell whether a user id exists.
 */
public final class PasswordHasher {
    public static final int MEMORY_KIB = 19_456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final int memory;
    private final int iterations;
    private final String dummy;

    public PasswordHasher() {
        this(MEMORY_KIB, ITERATIONS);
    }

    /** A cheaper or dearer cost (tests use the minimum to stay fast). */
    public PasswordHasher(int memoryKib, int iterations) {
        if (memoryKib < 8 || iterations < 1) {
            throw new IllegalArgumentException("Argon2id needs at least 8 KiB and 1 iteration");
        }
        this.memory = memoryKib;
        this.iterations = iterations;
        this.dummy = hash("dummy-" + random.nextLong());
    }

    /** A new salted hash of the password. */
    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = argon2(password, salt, memory, iterations, PARALLELISM, 32);
        return "$argon2id$v=19$m=" + memory + ",t=" + iterations + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether the password matches; a null or unreadable stored hash costs the same time and answers false. */
    public boolean verify(String password, String stored) {
        String p = password == null ? "" : password;
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches() || !sane(m)) {
            verify(p, dummy);
            return false;
        }
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = argon2(p, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** A stored hash cannot make the server allocate gigabytes or loop for minutes. */
    private static boolean sane(Matcher m) {
        int mem = Integer.parseInt(m.group(1));
        int it = Integer.parseInt(m.group(2));
        int par = Integer.parseInt(m.group(3));
        return par >= 1 && par <= 16 && mem >= 8 * par && mem <= 1024 * 1024 && it >= 1 && it <= 20;
    }

    private static byte[] argon2(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
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
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        try {
            gen.generateBytes(pw, out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }
}
