package dev.ivr.server.desk.users;

import dev.ivr.server.secrets.Argon2id;

import java.security.SecureRandom;

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
    /** The most a stored password hash may cost to check. */
    private static final Argon2id.Cost MAX = new Argon2id.Cost(1024 * 1024, 20, 16);

    private final SecureRandom random = new SecureRandom();
    private final Argon2id.Cost cost;
    private final String dummy;

    public PasswordHasher() {
        this(MEMORY_KIB, ITERATIONS);
    }

    /** A cheaper or dearer cost (tests use the minimum to stay fast). */
    public PasswordHasher(int memoryKib, int iterations) {
        if (memoryKib < 8 || iterations < 1) {
            throw new IllegalArgumentException("Argon2id needs at least 8 KiB and 1 iteration");
        }
        this.cost = new Argon2id.Cost(memoryKib, iterations, PARALLELISM);
        this.dummy = hash("dummy-" + random.nextLong());
    }

    /** A new salted hash of the password. */
    public String hash(String password) {
        return Argon2id.hash(password, cost, random);
    }

    /** Whether the password matches; a null or unreadable stored hash costs the same time and answers false. */
    public boolean verify(String password, String stored) {
        return Argon2id.verify(password, stored, MAX, dummy);
    }
}
