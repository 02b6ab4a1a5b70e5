package dev.ivr.server.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How a webhook is signed: {@code X-Ivr-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}
 * with {@code X-Ivr-Timestamp: <unix seconds>}, the key being the subscription's secret as text (UTF-8).
 * A receiver recomputes it over the raw body, compares in constant time, and refuses timestamps too far from
 * its clock (replay). The recipe for receivers is in docs/integration.md.
 */
public final class Signing {
    public static final String SIGNATURE = "X-Ivr-Signature";
    public static final String TIMESTAMP = "X-Ivr-Timestamp";
    public static final String EVENT_ID = "X-Ivr-Event-Id";
    public static final String EVENT_TYPE = "X-Ivr-Event-Type";
    public static final String DELIVERY = "X-Ivr-Delivery";
    public static final String ATTEMPT = "X-Ivr-Attempt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signing() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes, base64url. */
    public static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The signature header's value for a body sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** What a receiver does: the signature matches and the timestamp is within {@code toleranceSeconds} of now. */
    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                                 long nowEpochSeconds, long toleranceSeconds) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowEpochSeconds - ts) > toleranceSeconds) {
            return false;
        }
        byte[] expected = sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
