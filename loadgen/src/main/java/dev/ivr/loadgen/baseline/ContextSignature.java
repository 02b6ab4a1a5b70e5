package dev.ivr.loadgen.baseline;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The signed call reference the agent leg carries ({@code <callId>;sig=<signature>}), made as
 * ivr makes it: HMAC-SHA256 of the call id, truncated to 128 bits, base64url; here under a key
 * drawn at start. The stock scripts do the same work with it as ivr: sign at the offer, check
 * in the answer report.
 */
final class ContextSignature {
    private final byte[] key = new byte[32];
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::mac);

    ContextSignature() {
        new SecureRandom().nextBytes(key);
    }

    String token(String callId) {
        return callId + ";sig=" + signature(callId);
    }

    /** The call id of a token whose signature is right, or null. */
    String verify(String token) {
        int i = token == null ? -1 : token.lastIndexOf(";sig=");
        if (i <= 0) {
            return null;
        }
        String callId = token.substring(0, i);
        boolean ok = MessageDigest.isEqual(token.substring(i + 5).getBytes(StandardCharsets.US_ASCII),
                signature(callId).getBytes(StandardCharsets.US_ASCII));
        return ok ? callId : null;
    }

    private String signature(String callId) {
        byte[] full = macs.get().doFinal(callId.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
