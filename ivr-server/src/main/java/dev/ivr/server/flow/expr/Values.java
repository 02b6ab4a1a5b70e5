package dev.ivr.server.flow.expr;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The values flows work with: Long, Double, String, Boolean, List, Map (text keys) and null,
 * converted to and from what CEL uses, and held to size limits so that no expression, and no
 * chain of {@code set} nodes, can build a value that exhausts memory.
 */
public final class Values {
    /** Longest text a variable or rendered template may hold. */
    public static final int MAX_TEXT = 8_192;
    /** Most elements (list items, map entries, texts) in one value. */
    public static final int MAX_ELEMENTS = 1_000;

    private Values() {
    }

    /**
     * The variables as CEL reads them: each, when an expression names it, converted from its Java value (ints,
     * nulls, ...) to what CEL expects (longs, NullValue). Only the names an expression reads are converted: an
     * expression on {@code inputs} no longer copies the call's, the customer's and the frame's maps as well.
     */
    static dev.cel.runtime.CelVariableResolver toCel(Map<String, Object> vars) {
        return name -> vars.containsKey(name) ? java.util.Optional.of(toCelValue(vars.get(name))) : java.util.Optional.empty();
    }

    private static Object toCelValue(Object v) {
        if (v == null) {
            return NullValue.NULL_VALUE;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
            m.forEach((k, x) -> out.put(String.valueOf(k), toCelValue(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(toCelValue(x)));
            return out;
        }
        return v;
    }

    /** A CEL result (or a YAML/JSON value) as a plain value. */
    public static Object fromCel(Object v) {
        if (v == null || v instanceof NullValue) {
            return null;
        }
        if (v instanceof Long || v instanceof String || v instanceof Boolean || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof UnsignedLong u) {
            return u.longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
            m.forEach((k, x) -> out.put(String.valueOf(k), fromCel(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(fromCel(x)));
            return out;
        }
        return v.toString();
    }

    /** Refuses values over the limits. */
    static void checkSize(Object v, String source) throws EvalException {
        long[] budget = {MAX_ELEMENTS, MAX_TEXT * 4L};
        if (!fits(v, budget)) {
            throw new EvalException("'" + source + "': the value is too large (limits: " + MAX_TEXT
                    + " characters of text, " + MAX_ELEMENTS + " elements)");
        }
    }

    private static boolean fits(Object v, long[] budget) {
        if (v instanceof String s) {
            budget[1] -= s.length();
            return s.length() <= MAX_TEXT && budget[1] >= 0;
        }
        if (v instanceof Map<?, ?> m) {
            budget[0] -= m.size();
            if (budget[0] < 0) {
                return false;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!fits(String.valueOf(e.getKey()), budget) || !fits(e.getValue(), budget)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof Collection<?> c) {
            budget[0] -= c.size();
            if (budget[0] < 0) {
                return false;
            }
            for (Object x : c) {
                if (!fits(x, budget)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How a value is said in a template: whole numbers without ".0", null as nothing. */
    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    static String describe(Object v) {
        return v == null ? "null" : v instanceof String s ? "the text \"" + s + "\"" : v.getClass().getSimpleName()
                .toLowerCase(Locale.ROOT) + " " + v;
    }
}
