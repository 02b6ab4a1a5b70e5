package dev.ivr.server.cluster;

import dev.ivr.routing.ValueSeal;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Authenticated encryption of the values a member keeps in or sends through the cluster: AES-256-GCM under a
 * key derived from the {@link ClusterSecret}, with the purpose of the values (a domain) bound in as associated
 * data, so a value sealed for one purpose does not open as another.
 *
 * <p>Each process seals under a key of its own, derived from the cluster key and a random 128-bit salt chosen at
 * start, with a counter as nonce: a nonce never repeats under one key, however many values a long-lived member
 * seals (random 96-bit nonces under one key would be safe for only about 2^32 values). The salt travels with
 * each value; a reader derives (and keeps) the key of each salt it has seen authenticate.
 *
 * <p>Format: {@code version (1) | salt (16) | nonce (12) | ciphertext | tag (16)}.
 */
public final class ClusterCipher implements ValueSeal {
    private static final byte VERSION = 1;
    private static final int SALT = 16;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER = 1 + SALT + NONCE;
    private static final int MAX_PEER_KEYS = 4096;
    static final int POOLED = 64;

    private final byte[] clusterKey;
    private final byte[] aad;
    private final byte[] salt = new byte[SALT];
    private final SecretKeySpec ownKey;
    private final AtomicLong counter = new AtomicLong();
    private final Map<ByteBuffer, SecretKeySpec> keys = new ConcurrentHashMap<>();
    /**
     * Cipher objects to reuse, shared by all threads. Not a {@code ThreadLocal}: seals and opens happen on the calls'
     * virtual threads (a checkpoint is serialised on the thread that writes it), each new, so a thread-local cipher was
     * one {@code Cipher.getInstance} (a provider look-up and the cipher's buffers) per call. A cipher is taken for one
     * seal or open and given back; after a failure it is dropped. At most {@link #POOLED} are kept.
     */
    private static final BlockingQueue<Cipher> POOL = new ArrayBlockingQueue<>(POOLED);
    private static final AtomicLong CREATED = new AtomicLong();

    /**
     * @param clusterKey 256 bits, the same on every member ({@link ClusterSecret#derive})
     * @param domain     what the values are (e.g. "routing values"): a value sealed for one domain does not open in another
     */
    public ClusterCipher(byte[] clusterKey, String domain) {
        if (clusterKey.length != 32) {
            throw new IllegalArgumentException("the cluster key must be 256 bits");
        }
        this.clusterKey = clusterKey.clone();
        this.aad = ("ivr cluster value v1 " + domain).getBytes(StandardCharsets.UTF_8);
        new SecureRandom().nextBytes(salt);
        this.ownKey = keyFor(salt);
    }

    @Override
    public byte[] seal(byte[] plain) {
        return seal(plain, plain.length);
    }

    /** Seals the first {@code length} bytes of {@code plain}. */
    public byte[] seal(byte[] plain, int length) {
        byte[] out = new byte[sealedLength(length)];
        seal(plain, length, out);
        return out;
    }

    /** How long the sealed form of {@code plainLength} bytes is. */
    public static int sealedLength(int plainLength) {
        return HEADER + plainLength + TAG_BITS / 8;
    }

    /**
     * Seals the first {@code length} bytes of {@code plain} into the start of {@code out} (at least {@link
     * #sealedLength} bytes; the same bytes {@link #seal(byte[])} returns).
     *
     * @return how many bytes of {@code out} the sealed value takes
     */
    public int seal(byte[] plain, int length, byte[] out) {
        long n = counter.incrementAndGet();
        int total = sealedLength(length);
        if (out.length < total) {
            throw new IllegalArgumentException("sealing " + length + " bytes needs " + total + " bytes of room");
        }
        out[0] = VERSION;
        System.arraycopy(salt, 0, out, 1, SALT);
        ByteBuffer.wrap(out, 1 + SALT, NONCE).putInt(0).putLong(n); // 4 zero bytes, then the counter
        try {
            Cipher c = take();
            c.init(Cipher.ENCRYPT_MODE, ownKey, new GCMParameterSpec(TAG_BITS, out, 1 + SALT, NONCE));
            c.updateAAD(aad);
            c.doFinal(plain, 0, length, out, HEADER);
            POOL.offer(c); // only after a seal that worked; a full pool drops it
            return total;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a cluster value: " + e, e);
        }
    }

    @Override
    public byte[] open(byte[] sealed) {
        if (sealed.length < HEADER + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SecurityException("not a sealed cluster value");
        }
        ByteBuffer saltOf = ByteBuffer.wrap(Arrays.copyOfRange(sealed, 1, 1 + SALT));
        SecretKeySpec key = keys.get(saltOf);
        boolean known = key != null;
        if (!known) {
            key = keyFor(saltOf.array());
        }
        try {
            Cipher c = take();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1 + SALT, NONCE));
            c.updateAAD(aad);
            byte[] plain = c.doFinal(sealed, HEADER, sealed.length - HEADER);
            POOL.offer(c);
            if (!known) { // only keys that authenticated a value are kept: forged salts cost their sender, not memory
                if (keys.size() >= MAX_PEER_KEYS) {
                    keys.clear();
                }
                keys.put(saltOf, key);
            }
            return plain;
        } catch (AEADBadTagException e) {
            throw new SecurityException("cluster value failed authentication (not sealed with this cluster's key, or changed)");
        } catch (GeneralSecurityException e) {
            throw new SecurityException("cannot open a cluster value: " + e);
        }
    }

    private static Cipher take() throws GeneralSecurityException {
        Cipher c = POOL.poll();
        if (c == null) {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            CREATED.incrementAndGet();
        }
        return c;
    }

    /** How many cipher objects this process has made (the pool's misses). */
    static long ciphersCreated() {
        return CREATED.get();
    }

    private SecretKeySpec keyFor(byte[] saltBytes) {
        return new SecretKeySpec(ClusterSecret.hkdf(clusterKey, saltBytes, "ivr/cluster-values/per-process/v1", 32), "AES");
    }
}
