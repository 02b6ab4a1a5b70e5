package dev.ivr.server.crm.pin;

import dev.ivr.server.config.PinHashConfig;
import dev.ivr.server.secrets.Argon2id;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PIN hashes: Argon2id (Bouncy Castle) with a random salt, stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. With a {@link PinPepper}, the PIN is
 * HMAC-SHA256'd with the pepper first and the hash names the pepper:
 * {@code $pepper$k=<pepper id>$argon2id$v=19$...}. Verifying also accepts hashes without a
 * pepper and bcrypt ({@code $2a$}/{@code $2b$}/{@code $2y$}) hashes imported from older
 * systems; {@link #needsRehash} says when a stored hash is to be made again (another cost, no
 * pepper or an earlier one), which the store does at the next good PIN.
 *
 * <p>{@link #verify} with no stored hash (an unknown account) checks the PIN against a dummy
 * hash of the configured cost, so an unknown account takes as long as a wrong PIN.
 */
public final class PinHasher {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern PEPPERED = Pattern.compile("\\$pepper\\$k=([0-9a-f]{8})(\\$argon2id\\$.*)");
    /** The most a stored PIN hash may cost to check. */
    private static final Argon2id.Cost MAX = new Argon2id.Cost(4 * 1024 * 1024, 100, 64);

    private final Argon2id.Cost cost;
    private final PinPepper pepper;
    private final SecureRandom random = new SecureRandom();
    private final String dummy;

    /** Hashes without a pepper (tests, tools that only read). */
    public PinHasher(PinHashConfig cost) {
        this(cost, null);
    }

    public PinHasher(PinHashConfig cost, PinPepper pepper) {
        this.cost = new Argon2id.Cost(cost.memory(), cost.iterations(), cost.parallelism());
        this.pepper = pepper;
        byte[] pin = new byte[8];
        random.nextBytes(pin);
        this.dummy = Argon2id.hash(Base64.getEncoder().encodeToString(pin), this.cost, random);
    }

    /** A new salted hash of the PIN at the configured cost, with the current pepper. */
    public String hash(String pin) {
        if (pepper == null) {
            return Argon2id.hash(pin, cost, random);
        }
        return prefix(pepper.id()) + Argon2id.hash(pepper.mac(pepper.id(), pin), cost, random);
    }

    /**
     * Whether the PIN matches the stored hash. With a null or unreadable hash, or one made with
     * a pepper not known here, spends the same time on a dummy hash and answers false.
     */
    public boolean verify(String pin, String stored) {
        String p = pin == null ? "" : pin;
        if (stored != null && BCRYPT.matcher(stored).matches()) {
            return OpenBSDBCrypt.checkPassword(stored, p.toCharArray());
        }
        Matcher m = stored == null ? null : PEPPERED.matcher(stored);
        if (m != null && m.matches()) {
            String keyed = pepper == null ? null : pepper.mac(m.group(1), p);
            if (keyed == null) {
                Argon2id.verify(p, null, MAX, dummy);
                return false;
            }
            return Argon2id.verify(keyed, m.group(2), MAX, dummy);
        }
        // no stored hash: the dummy is checked with the input a real one would get
        return Argon2id.verify(stored == null && pepper != null ? pepper.mac(pepper.id(), p) : p, stored, MAX, dummy);
    }

    /**
     * Whether this server can check a PIN against the stored hash: false for a hash made with a
     * pepper it does not have (another server's, or one rotated out of crm.pin-old-pepper-files).
     */
    public boolean canVerify(String stored) {
        String id = pepperId(stored);
        return id == null || pepper != null && pepper.knows(id);
    }

    /** The id of the pepper a stored hash was made with, or null for a hash without one. */
    public static String pepperId(String stored) {
        Matcher m = stored == null ? null : PEPPERED.matcher(stored);
        return m != null && m.matches() ? m.group(1) : null;
    }

    /** The current pepper's id, or null without a pepper. */
    public String pepperId() {
        return pepper == null ? null : pepper.id();
    }

    /**
     * Whether a stored hash is of another kind or cost than configured, or has no pepper or an
     * earlier one (then it is replaced at the next good PIN).
     */
    public boolean needsRehash(String stored) {
        return stored == null || !stored.startsWith((pepper == null ? "" : prefix(pepper.id())) + cost.prefix());
    }

    /** Whether a value is a hash this class can read (for imports of existing hashes). */
    public static boolean isHash(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = PEPPERED.matcher(value);
        return Argon2id.isHash(m.matches() ? m.group(2) : value, MAX) || BCRYPT.matcher(value).matches();
    }

    private static String prefix(String pepperId) {
        return "$pepper$k=" + pepperId;
    }
}
