package dev.ivr.server.logging;

/**
 * Makes text safe to write into a log line: control characters (ESC, NUL, CR, LF, tab, DEL,
 * C1 controls), Unicode line separators and bidirectional overrides are written as escapes
 * ({@code \e}, {@code \0}, {@code \r}, {@code \n}, {@code \t}, {@code \x7f}, {@code \u2028}),
 * so a caller-supplied value can neither forge a log line nor drive the terminal that shows
 * it. Used at the source for caller-supplied values, and by the logging layout
 * ({@link EscapingMessageConverter}, {@link EscapingMdcConverter},
 * {@link EscapingThrowableConverter}) for everything else.
 */
public final class LogText {
    /** The longest call id written into the logging context; Asterisk's are about 20 characters. */
    public static final int MAX_CALL_ID = 64;

    private LogText() {
    }

    /** The text with every unsafe character escaped; the same instance when there is none. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                case 0x1b -> sb.append("\\e");
                default -> sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** A call id for the logging context: escaped, and cut to {@value #MAX_CALL_ID} characters. */
    public static String callId(String id) {
        if (id == null) {
            return null;
        }
        String cut = id.length() > MAX_CALL_ID ? id.substring(0, MAX_CALL_ID) + "..." : id;
        return escape(cut);
    }

    static boolean unsafe(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f
                || c == 0x2028 || c == 0x2029                       // line and paragraph separators
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069; // bidirectional overrides
    }
}
