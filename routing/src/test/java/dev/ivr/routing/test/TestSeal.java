package dev.ivr.routing.test;

import dev.ivr.routing.ValueSeal;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@link ValueSeal} for tests and benchmarks, built as the server's own (AES-256-GCM, a counter as nonce
 * after a random prefix, a cipher object per thread) under a key given by the test; the server's also derives a
 * key per process, which costs nothing per value.
 */
public final class TestSeal implements ValueSeal {
    private final SecretKeySpec key;
    private final byte[] prefix = new byte[4];
    private final java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong();
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    public TestSeal(byte fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, fill);
        this.key = new SecretKeySpec(k, "AES");
        new SecureRandom().nextBytes(prefix);
    }

    @Override
    public byte[] seal(byte[] plain) {
        byte[] out = new byte[12 + plain.length + 16];
        System.arraycopy(prefix, 0, out, 0, 4);
        java.nio.ByteBuffer.wrap(out, 4, 8).putLong(counter.incrementAndGet());
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, out, 0, 12));
            c.doFinal(plain, 0, plain.length, out, 12);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] open(byte[] sealed) {
        if (sealed.length < 28) {
            throw new SecurityException("too short");
        }
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (AEADBadTagException e) {
            throw new SecurityException("not sealed with this key");
        } catch (GeneralSecurityException e) {
            throw new SecurityException(e.toString());
        }
    }
}
