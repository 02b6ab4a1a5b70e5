package dev.ivr.server.flow.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a simulated caller does next: the same vocabulary as the fake PBX's scripted callers. */
public sealed interface CallerStep {
    /** Keys typed at the next input; with {@code bargeIn}, typed while the next prompt plays. */
    record Press(String keys, boolean bargeIn) implements CallerStep {
    }

    /** The next input times out with nothing typed. */
    record Silence() implements CallerStep {
    }

    /** The caller hangs up during the next prompt or input. */
    record HangUp() implements CallerStep {
    }

    /**
     * What the caller says when the flow next listens (a listen node, a menu with speech); the
     * recogniser "hears" it with this confidence (0..1). Where nothing listens, it is lost like
     * words said to a keys-only menu.
     */
    record Say(String text, double confidence) implements CallerStep {
    }

    /** The caller speaks, but nothing is recognised (noise, mumbling). */
    record Mumble() implements CallerStep {
    }

    /** How the next transfer (Dial) ends: ANSWER, NOANSWER, BUSY, CHANUNAVAIL, CONGESTION. */
    record Dial(String status) implements CallerStep {
    }

    /**
     * Parses a script such as {@code 1,barge:2,12345678#,silence,say:billing,dial:BUSY,hangup}.
     *
     * @throws IllegalArgumentException naming the bad token
     */
    static List<CallerStep> parse(String script) {
        List<CallerStep> out = new ArrayList<>();
        if (script == null || script.isBlank()) {
            return out;
        }
        for (String raw : script.split(",")) {
            out.add(token(raw.trim()));
        }
        return out;
    }

    static CallerStep token(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("silence") || lower.equals("timeout")) {
            return new Silence();
        }
        if (lower.equals("hangup") || lower.equals("hang-up")) {
            return new HangUp();
        }
        if (lower.equals("mumble")) {
            return new Mumble();
        }
        if (lower.startsWith("say:") || lower.startsWith("say ")) {
            return say(t.substring(4).trim());
        }
        if (lower.startsWith("barge:") || lower.startsWith("barge-in:")) {
            return new Press(keys(t.substring(t.indexOf(':') + 1).trim()), true);
        }
        if (lower.startsWith("dial:")) {
            String s = t.substring(5).trim().toUpperCase(Locale.ROOT);
            if (!List.of("ANSWER", "NOANSWER", "BUSY", "CHANUNAVAIL", "CONGESTION").contains(s)) {
                throw new IllegalArgumentException("'" + t + "': dial status is ANSWER, NOANSWER, BUSY, CHANUNAVAIL or CONGESTION");
            }
            return new Dial(s);
        }
        return new Press(keys(t), false);
    }

    private static String keys(String k) {
        if (!k.matches("[0-9*#A-D]+")) {
            throw new IllegalArgumentException("'" + k + "' is not keys (0-9 * # A-D), silence, hangup, barge:KEYS, "
                    + "say:TEXT, mumble or dial:STATUS");
        }
        return k;
    }

    /** {@code billing}, {@code "pay my bill"}, {@code billing@0.4} (with a confidence). */
    private static Say say(String s) {
        double confidence = 0.9;
        int at = s.lastIndexOf('@');
        if (at > 0 && s.substring(at + 1).matches("\\d*(\\.\\d+)?")) {
            String c = s.substring(at + 1);
            if (!c.isEmpty()) {
                confidence = Double.parseDouble(c);
            }
            if (confidence > 1) {
                throw new IllegalArgumentException("'" + s + "': a confidence is between 0 and 1, e.g. say:billing@0.4");
            }
            s = s.substring(0, at).trim();
        }
        s = s.replaceAll("^[\"']|[\"']$", "").trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("say: what does the caller say? e.g. say:billing or say:billing@0.4");
        }
        return new Say(s, confidence);
    }
}
