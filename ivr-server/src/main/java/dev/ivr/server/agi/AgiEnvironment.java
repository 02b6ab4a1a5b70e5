package dev.ivr.server.agi;

import dev.ivr.server.text.SharedStrings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a call's AGI environment share its strings with every other call's. Asterisk-Java keeps the environment for
 * the whole call (a map of about 25 variables, each name and value a new string), while the names are always the same
 * and most values (the channel type, language, context, request, version, the zeros of the caller presentation ...)
 * are the same for thousands of calls: replaced in the map by one shared string each, a waiting caller keeps about
 * 1.5 KB less. The map keeps its variables and values (equal strings, in the same map); nothing else changes.
 */
final class AgiEnvironment {
    /** The variables whose values repeat from call to call; the caller's number, channel and ids are not among them. */
    private static final Set<String> SHARED_VALUES = Set.of("network", "network_script", "request", "language", "type",
            "version", "callingpres", "callingani2", "callington", "callingtns", "dnid", "rdnis", "context",
            "extension", "priority", "enhanced", "accountcode");
    /**
     * At most this many names and this many values are kept (what a PBX sends is a few dozen of each): past it (ever
     * new values, a query in each request) the kept ones are dropped and the common ones come back with the next calls.
     */
    static final int MAX_KEPT = 2_000;
    /** Asterisk's variable names (without {@code agi_}), arguments included. */
    private static final SharedStrings NAMES = new SharedStrings(MAX_KEPT);
    private static final SharedStrings VALUES = new SharedStrings(MAX_KEPT);

    private AgiEnvironment() {
    }

    /**
     * Replaces the names of {@code env} (Asterisk-Java's map, modifiable) and the values of {@link #SHARED_VALUES}
     * by equal strings shared by all calls.
     */
    static void share(Map<String, String> env) {
        if (env == null) {
            return;
        }
        List<String> names = new ArrayList<>(env.keySet());
        for (String key : names) {
            if (key == null) {
                continue;
            }
            String value = env.get(key);
            String name = NAMES.share(key);
            String v = SHARED_VALUES.contains(name) ? VALUES.share(value) : value;
            if (name != key) {
                env.remove(key); // put keeps the key it has: take it out to store the shared one
                env.put(name, v);
            } else if (v != value) {
                env.put(name, v);
            }
        }
    }

    /** How many names and values are kept now. */
    static int kept() {
        return NAMES.size() + VALUES.size();
    }
}
