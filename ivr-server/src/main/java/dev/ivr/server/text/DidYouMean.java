package dev.ivr.server.text;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for a misspelt name: the closest known name within a small edit distance. */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The known name closest to {@code name} (at most 2 edits, or 3 for long names), if any. */
    public static Optional<String> closest(String name, Collection<String> known) {
        if (name == null) {
            return Optional.empty();
        }
        String best = null;
        int bestD = (name.length() > 8 ? 3 : 2) + 1;
        for (String k : known) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD && !k.equals(name)) {
                bestD = d;
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code "; did you mean 'x'?"}, or "" when nothing is close. */
    public static String suffix(String name, Collection<String> known) {
        return closest(name, known).map(b -> "; did you mean '" + b + "'?").orElse("");
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
