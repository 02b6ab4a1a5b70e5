package dev.ivr.server.callcontext;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.server.wire.ClusterKeys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Short signed references to a call's context, for the agent leg's SIP header
 * ({@code X-IVR-Context: <callId>;sig=<signature>}) and for integrations that fetch the context
 * with it: HMAC-SHA256 of the call id, truncated to 128 bits, under a key derived from the
 * cluster secret: the same on every member and never stored in the cluster, so reading the
 * cluster gives no way to sign. Whoever holds the header value can read that one call's
 * context, nothing else.
 */
public final class ContextTokens {

    private final byte[] key;

    public ContextTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the context token key needs at least 256 bits");
        }
        this.key = key.clone();
    }

    /** The cluster's tokens: the key is derived from this member's cluster secret, the same on every member. */
    public static ContextTokens forCluster(HazelcastInstance hazelcast) {
        return new ContextTokens(ClusterKeys.of(hazelcast).derive("ivr/context-tokens/v1"));
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
