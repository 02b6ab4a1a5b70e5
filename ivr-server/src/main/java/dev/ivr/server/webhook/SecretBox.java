package dev.ivr.server.webhook;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Webhook secrets at rest: AES-256-GCM under a key derived from the cluster secret (the same on every server,
 * never in the database), the subscription id bound in as associated data so a sealed secret cannot be moved to
 * another subscription. A copy of the database alone cannot sign webhooks. Format: base64(nonce ‖ ciphertext ‖ tag).
 */
public final class SecretBox {
    /** The purpose the key is derived for from the cluster secret. */
    public static final String PURPOSE = "ivr/webhook-secrets/v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public SecretBox(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the webhook secret key needs 256 bits");
        }
        this.key = new SecretKeySpec(key, 0, 32, "AES");
    }

    public String seal(String subscriptionId, String secret) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws IllegalStateException when the sealed value was not made with this key for this subscription */
    public String open(String subscriptionId, String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the secret of webhook " + subscriptionId
                    + " cannot be opened: was it made under another cluster secret?");
        }
    }
}
