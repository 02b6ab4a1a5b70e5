package dev.ivr.server.cluster;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The names under which cluster values are written, where they differ from the class name today. A sealed
 * value carries the name of its type ({@link ClusterValueSerializer}); when a class moves to another package,
 * its old name stays its name on the wire, so that members of the previous release and of this one read each
 * other's values during a rolling upgrade (screen pops and call contexts of calls in flight are kept). A moved
 * class gets a line here, old name first; a name, once written, is never reused for another type.
 */
final class WireNames {
    /** wire name → class name, for the classes that moved since their values were first written. */
    private static final Map<String, String> MOVED = Map.of(
            "dev.ivr.server.desk.CallContext", "dev.ivr.server.callcontext.CallContext",
            "dev.ivr.server.desk.DeskMessage", "dev.ivr.server.callcontext.DeskMessage");
    private static final Map<String, String> WIRE_OF_CLASS = MOVED.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private WireNames() {
    }

    static Map<String, String> moved() {
        return MOVED;
    }

    /** The name written for a class (nested classes of a moved class keep the old outer name too). */
    static String wireName(String className) {
        int dollar = className.indexOf('$');
        String outer = dollar < 0 ? className : className.substring(0, dollar);
        String wire = WIRE_OF_CLASS.get(outer);
        return wire == null ? className : wire + className.substring(outer.length());
    }

    /** The class to read a wire name as. */
    static String className(String wireName) {
        int dollar = wireName.indexOf('$');
        String outer = dollar < 0 ? wireName : wireName.substring(0, dollar);
        String moved = MOVED.get(outer);
        return moved == null ? wireName : moved + wireName.substring(outer.length());
    }
}
