package dev.ivr.fakepbx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One AGI command line as the server sent it, split the way Asterisk's {@code parse_args}
 * splits it: words separated by blanks, double quotes group, a backslash escapes the next
 * character. {@link #name()} is the upper-case command ("STREAM FILE", "GET DATA", "EXEC"),
 * {@link #args()} the arguments after it.
 */
public record AgiCommand(String raw, String name, List<String> args) {

    /** Command words Asterisk 20 knows, longest first where one is a prefix of another. */
    private static final List<String> NAMES = List.of(
            "CONTROL STREAM FILE", "GET FULL VARIABLE", "DATABASE DELTREE", "ASYNCAGI BREAK",
            "STREAM FILE", "GET DATA", "GET OPTION", "GET VARIABLE", "SET VARIABLE", "SET CONTEXT",
            "SET EXTENSION", "SET PRIORITY", "SET MUSIC", "SET CALLERID", "SET AUTOHANGUP",
            "WAIT FOR DIGIT", "SAY DIGITS", "SAY NUMBER", "SAY ALPHA", "SAY PHONETIC", "SAY DATETIME",
            "SAY DATE", "SAY TIME", "CHANNEL STATUS", "RECORD FILE", "DATABASE GET", "DATABASE PUT",
            "DATABASE DEL", "RECEIVE CHAR", "RECEIVE TEXT", "SEND TEXT", "SEND IMAGE", "TDD MODE",
            "SPEECH CREATE", "SPEECH DESTROY", "SPEECH SET", "SPEECH LOAD GRAMMAR", "SPEECH UNLOAD GRAMMAR",
            "SPEECH ACTIVATE GRAMMAR", "SPEECH DEACTIVATE GRAMMAR", "SPEECH RECOGNIZE",
            "ANSWER", "HANGUP", "EXEC", "VERBOSE", "NOOP", "GOSUB");

    public AgiCommand {
        args = List.copyOf(args);
    }

    /** Parses one line; an unknown command keeps its first word as name. */
    public static AgiCommand parse(String line) {
        List<String> words = split(line);
        if (words.isEmpty()) {
            return new AgiCommand(line, "", List.of());
        }
        for (String name : NAMES) {
            String[] parts = name.split(" ");
            if (words.size() >= parts.length && matches(words, parts)) {
                return new AgiCommand(line, name, words.subList(parts.length, words.size()));
            }
        }
        return new AgiCommand(line, words.get(0).toUpperCase(Locale.ROOT), words.subList(1, words.size()));
    }

    private static boolean matches(List<String> words, String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (!words.get(i).equalsIgnoreCase(parts[i])) {
                return false;
            }
        }
        return true;
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        boolean escaped = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (escaped) {
                cur.append(c);
                escaped = false;
                inWord = true;
            } else if (c == '\\') {
                escaped = true;
                inWord = true;
            } else if (c == '"') {
                inQuotes = !inQuotes;
                inWord = true;
            } else if (!inQuotes && (c == ' ' || c == '\t')) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The argument at {@code i}, or {@code fallback} when the server did not send it. */
    public String arg(int i, String fallback) {
        return i < args.size() ? args.get(i) : fallback;
    }

    /** For EXEC: the application name (case as sent). */
    public String app() {
        return arg(0, "");
    }

    /** Whether this is {@code EXEC <app>} for the given application, ignoring case. */
    public boolean isExec(String app) {
        return name.equals("EXEC") && app().equalsIgnoreCase(app);
    }

    @Override
    public String toString() {
        return raw;
    }
}
