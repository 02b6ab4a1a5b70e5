package dev.ivr.server.crm.pin;

import dev.ivr.server.config.PinHashConfig;
import dev.ivr.server.secrets.Argon2id;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.security.SecureRandom;
import java.util.Base64;
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
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    /** The most a stored PIN hash may cost to check. */
    private static final Argon2id.Cost MAX = new Argon2id.Cost(4 * 1024 * 1024, 100, 64);

    private final Argon2id.Cost cost;
    private final SecureRandom random = new SecureRandom();
    private final String dummy;

    public PinHasher(PinHashConfig cost) {
        this.cost = new Argon2id.Cost(cost.memory(), cost.iterations(), cost.parallelism());
        byte[] pin = new byte[8];
        random.nextBytes(pin);
        this.dummy = hash(Base64.getEncoder().encodeToString(pin));
    }

    /** A new salted hash of the PIN at the configured cost. */
    public String hash(String pin) {
        return Argon2id.hash(pin, cost, random);
    }

    /**
     * Whether the PIN matches the stored hash. With a null or unreadable hash, spends the same
     * time on a dummy hash and answers false.
     */
    public boolean verify(String pin, String stored) {
        String p = pin == null ? "" : pin;
        if (stored != null && BCRYPT.matcher(stored).matches()) {
            return OpenBSDBCrypt.checkPassword(stored, p.toCharArray());
        }
        return Argon2id.verify(p, stored, MAX, dummy);
    }

    /** Whether a stored hash is of another kind or cost than configured (then it is replaced at the next good PIN). */
    public boolean needsRehash(String stored) {
        return stored == null || !stored.startsWith(cost.prefix());
    }

    /** Whether a value is a hash this class can verify (for imports of existing hashes). */
    public static boolean isHash(String value) {
        return Argon2id.isHash(value, MAX) || value != null && BCRYPT.matcher(value).matches();
    }
}
