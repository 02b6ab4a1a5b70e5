package dev.ivr.server.call;

import java.util.List;
import java.util.Map;

/**
 * The call as the PBX described it when it connected.
 *
 * @param uniqueId   Asterisk's unique id of the channel: the call's id in logs and records
 * @param script     the script name from {@code agi://host/SCRIPT?query} (the flow name)
 * @param query      parameters of the query string
 * @param args       AGI arguments ({@code AGI(agi://..., arg1, arg2)})
 * @param ani        the caller's number as sent ({@code "unknown"} or empty when withheld)
 * @param callerName caller id name, or empty
 * @param dnis       the dialled number ({@code agi_dnid}, else {@code agi_extension})
 * @param channel    channel name, e.g. {@code PJSIP/trunk-0000002a}
 * @param language   channel language, e.g. {@code en}
 * @param context    dialplan context of the AGI call
 * @param extension  dialplan extension of the AGI call
 * @param pbx        address of the PBX that connected
 */
public record CallInfo(String uniqueId, String script, Map<String, String> query, List<String> args,
                       String ani, String callerName, String dnis, String channel, String language,
                       String context, String extension, String pbx) {

    public CallInfo {
        query = Map.copyOf(query);
        args = List.copyOf(args);
    }

    /** The AGI URL's parameter that names the call's PBX ({@code agi://ivr/main?pbx=b}). */
    public static final String PBX_PARAMETER = "pbx";

    /**
     * Which PBX the call is on, as the call tells it: the PBX id given as {@code ?pbx=ID} in the AGI URL (its
     * {@code agi_network_script}) when there is one, else the address the PBX connected from ({@link #pbx}).
     */
    public String pbxHint() {
        String named = query.get(PBX_PARAMETER);
        return named != null && !named.isBlank() ? named.trim() : pbx;
    }

    /** Whether the caller's number is withheld or unknown. */
    public boolean aniWithheld() {
        return ani == null || ani.isBlank() || ani.equalsIgnoreCase("unknown") || ani.equalsIgnoreCase("anonymous")
                || ani.equalsIgnoreCase("restricted") || ani.equalsIgnoreCase("private");
    }
}
