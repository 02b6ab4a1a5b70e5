package dev.ivr.server.desk;

import com.hazelcast.core.HazelcastInstance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Short signed references to a call's context, for the agent leg's SIP header
 * ({@code X-IVR-Context: <callId>;sig=<signature>}) and for integrations that fetch the context
 * with it: HMAC-SHA256 of the call id, truncated to 128 bits, under a key shared by the
 * cluster (created once by the first server, kept in the cluster). Whoever holds the header
 * value can read that one call's context, nothing else.
 */
public final class ContextTokens {
    private static final String SECRETS = "ivr.secrets";
    private static final String KEY = "context-token-key";

    private final byte[] key;

    public ContextTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the context token key needs at least 256 bits");
        }
        this.key = key.clone();
    }

    /** The cluster's key: created by the first server that asks, the same for all after that. */
    public static ContextTokens forCluster(HazelcastInstance hazelcast) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        byte[] existing = hazelcast.<String, byte[]>getMap(SECRETS).putIfAbsent(KEY, fresh);
        return new ContextTokens(existing != null ? existing : fresh);
    }

    /** {@code <callId>;sig=<signature>}: the header value for a call. */
    public String token(String callId) {
        return callId + ";sig=" + signature(callId);
    }

    /** The call id of a token if its signature is right. */
    public Optional<String> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int i = token.lastIndexOf(";sig=");
        if (i <= 0) {
            return Optional.empty();
        }
        String callId = token.substring(0, i);
        byte[] given = token.substring(i + 5).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = signature(callId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) ? Optional.of(callId) : Optional.empty();
    }

    private String signature(String callId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(callId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
