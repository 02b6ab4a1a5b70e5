package dev.ivr.server.outbound;

/** The do-not-call list as CSV (export over the CLI and the API): the number first, so it imports again. */
public final class DncCsv {
    public static final String HEADER = "number,scope,source,reason,campaign,call_id,added_at";

    private DncCsv() {
    }

    public static String line(DncList.Entry e) {
        return String.join(",", e.e164(), e.scope(), e.source(), quote(e.reason()), quote(e.campaign()), quote(e.callId()),
                e.addedAt() == null ? "" : e.addedAt().toString());
    }

    /** The numbers of a list file: the first column of each line, without a header, blank lines and # comments. */
    public static java.util.List<String> numbers(java.util.List<String> lines) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String first = l.split("[,;\t]", 2)[0].replace("\"", "").strip();
            if (out.isEmpty() && first.chars().noneMatch(Character::isDigit)) {
                continue; // a header
            }
            out.add(first);
        }
        return out;
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        String safe = s.startsWith("=") || s.startsWith("+") || s.startsWith("-") || s.startsWith("@") ? "'" + s : s;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
