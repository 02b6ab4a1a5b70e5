package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.server.callcontext.CallContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the agent's channel is given: channel variables (set with the {@code __} prefix on the
 * caller's channel, so the dialled channel inherits them) and the Dial arguments with the
 * pre-dial handler (SIP header) and the answer subroutine (tells the server the agent
 * answered). The names are what {@code config/asterisk/extensions.conf} reads.
 */
final class AgentLeg {
    /** The call's unique id (Asterisk's, of the caller's channel). */
    static final String CALL_ID = "IVR_CALL_ID";
    /** {@code <callId>;sig=<signature>}: the signed reference the X-IVR-Context header carries. */
    static final String CONTEXT = "IVR_CONTEXT";
    static final String CUSTOMER_ID = "IVR_CUSTOMER_ID";
    static final String CUSTOMER_NAME = "IVR_CUSTOMER_NAME";
    static final String QUEUE = "IVR_QUEUE";
    static final String INTENT = "IVR_INTENT";
    /** OK, FAILED, LOCKED, UNAVAILABLE, or empty when the caller was not authenticated. */
    static final String AUTH = "IVR_AUTH";
    static final String AGENT_ID = "IVR_AGENT_ID";
    /** Callbacks: the customer's number (also the extension the callback context runs). */
    static final String CALLBACK_NUMBER = "IVR_CALLBACK_NUMBER";
    /** Dial mode dialplan: what the dialplan passes to Dial. */
    static final String DIAL_ENDPOINT = "IVR_DIAL_ENDPOINT";
    static final String DIAL_TIMEOUT = "IVR_DIAL_TIMEOUT";
    static final String DIAL_OPTIONS = "IVR_DIAL_OPTIONS";
    static final String STATUS = "IVR_STATUS";

    /** An endpoint Dial can take as one target: no option separators, no second target. */
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9]{1,16}/[A-Za-z0-9_.@:+*#-]{1,128}");

    private final String preDialHandler;
    private final String answerHandler;

    AgentLeg(String preDialHandler, String answerHandler) {
        this.preDialHandler = preDialHandler == null ? "" : preDialHandler;
        this.answerHandler = answerHandler == null ? "" : answerHandler;
    }

    /** The answer subroutine's context ({@code routing.answer-handler}), empty when none. */
    String answerHandler() {
        return answerHandler;
    }

    /** Whether Dial can be given this endpoint (an agent's endpoint comes from a login request). */
    static boolean dialable(String endpoint) {
        return endpoint != null && ENDPOINT.matcher(endpoint).matches();
    }

    /** The agent leg's variables (names without the inheritance prefix). */
    static Map<String, String> variables(CallContext c, String token) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(CALL_ID, c.callId());
        v.put(CONTEXT, token);
        v.put(CUSTOMER_ID, nz(c.customerId()));
        v.put(CUSTOMER_NAME, nz(c.customerName()));
        v.put(QUEUE, nz(c.queue()));
        v.put(INTENT, nz(c.intent()));
        v.put(AUTH, nz(c.authResult()));
        v.put(AGENT_ID, nz(c.agentId()));
        v.replaceAll((k, value) -> clean(value));
        return v;
    }

    /** Dial's options: the pre-dial handler (b) and the answer subroutine (U), as configured. */
    String dialOptions() {
        StringBuilder sb = new StringBuilder();
        if (!preDialHandler.isEmpty()) {
            sb.append("b(").append(preDialHandler).append("^s^1)");
        }
        if (!answerHandler.isEmpty()) {
            sb.append("U(").append(answerHandler).append("^s^1)");
        }
        return sb.toString();
    }

    /** {@code endpoint,ringSeconds[,options]} for {@code EXEC Dial}. */
    String dialArguments(Reservation r) {
        String options = dialOptions();
        return r.endpoint() + "," + ringSeconds(r) + (options.isEmpty() ? "" : "," + options);
    }

    static long ringSeconds(Reservation r) {
        return Math.max(1, (r.ringTime().toMillis() + 999) / 1000);
    }

    /**
     * A value safe in a channel variable that the dialplan and AMI pass on: one line, no
     * commas (Asterisk splits Originate variables and application arguments there), no
     * control characters, at most 200 characters.
     */
    static String clean(String value) {
        String v = value == null ? "" : value.replaceAll("[\\p{Cntrl},|]", " ").strip();
        return v.length() > 200 ? v.substring(0, 200) : v;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
