package dev.ivr.loadgen.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * The sound files the stock scripts play, one per prompt the ivr flows say: a catalog prompt
 * {@code ID} is {@code ivr/en/ID}, a system prompt {@code system.ID} is {@code ivr/en/system/ID},
 * a number segment {@code ID} is {@code ivr/en/say/ID} (what a hand-written deployment would
 * record). The ivr server plays the same prompts from its cache under other names; the command
 * comparison (ScriptEquivalenceIT) maps one to the other.
 */
final class StockPrompts {
    static final String ALL_KEYS = "0123456789*#";

    private StockPrompts() {
    }

    static String prompt(String id) {
        return id.startsWith("system.") ? "ivr/en/system/" + id.substring("system.".length()) : "ivr/en/" + id;
    }

    /** The segments of a number in English words, as ivr's English spoken forms make them: 2345 → 2 thousand 3 hundred 40 5. */
    static List<String> number(long n) {
        List<String> out = new ArrayList<>();
        if (n <= 0) {
            out.add("0");
            return out;
        }
        long[] scales = {1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"billion", "million", "thousand"};
        for (int i = 0; i < scales.length; i++) {
            if (n >= scales[i]) {
                below1000((int) (n / scales[i]), out);
                out.add(names[i]);
                n %= scales[i];
            }
        }
        if (n > 0) {
            below1000((int) n, out);
        }
        return out;
    }

    private static void below1000(int n, List<String> out) {
        if (n >= 100) {
            out.add(Integer.toString(n / 100));
            out.add("hundred");
            n %= 100;
        }
        if (n == 0) {
            return;
        }
        if (n < 20) {
            out.add(Integer.toString(n));
        } else {
            out.add(Integer.toString(n / 10 * 10));
            if (n % 10 != 0) {
                out.add(Integer.toString(n % 10));
            }
        }
    }

    static String segment(String id) {
        return "ivr/en/say/" + id;
    }
}
