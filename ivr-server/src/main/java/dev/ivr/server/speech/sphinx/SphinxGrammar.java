package dev.ivr.server.speech.sphinx;

import com.ibm.icu.text.RuleBasedNumberFormat;
import com.ibm.icu.util.ULocale;
import dev.ivr.server.speech.ListenRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A listen's phrases compiled to a JSGF grammar for Sphinx4. Each phrase is put in the form
 * phrases are compared in ({@link ListenRequest#normalise}: lower case, punctuation as spaces),
 * numbers written with digits are spelled out in the model's language ("21" is said "twenty
 * one"), and every word is a quoted JSGF token, so no phrase can change the grammar's syntax.
 * A phrase with a word the pronunciation dictionary lacks cannot be recognised: it is left out
 * and named in {@link #unknown()}. What the decoder returns (the words of one alternative) maps
 * back to the phrase as the flow wrote it.
 */
final class SphinxGrammar {
    /** A phrase that cannot be recognised, with the words the dictionary lacks. */
    record Unknown(String phrase, List<String> words) {
        @Override
        public String toString() {
            return phrase + " (" + String.join(", ", words) + ")";
        }
    }

    private final String jsgf;
    private final Map<String, String> phraseBySpoken;
    private final List<Unknown> unknown;

    private SphinxGrammar(String jsgf, Map<String, String> phraseBySpoken, List<Unknown> unknown) {
        this.jsgf = jsgf;
        this.phraseBySpoken = phraseBySpoken;
        this.unknown = unknown;
    }

    /**
     * @param phrases what may be said
     * @param known   whether the dictionary has a word (lower case)
     * @param locale  the model's language, for spelling out numbers
     */
    static SphinxGrammar compile(List<String> phrases, Predicate<String> known, Locale locale) {
        RuleBasedNumberFormat spell = new RuleBasedNumberFormat(ULocale.forLocale(locale), RuleBasedNumberFormat.SPELLOUT);
        Map<String, String> bySpoken = new LinkedHashMap<>();
        List<Unknown> unknown = new ArrayList<>();
        for (String phrase : phrases) {
            List<String> words = words(phrase, spell);
            if (words.isEmpty()) {
                continue;
            }
            List<String> missing = words.stream().filter(w -> !known.test(w)).distinct().toList();
            if (!missing.isEmpty()) {
                unknown.add(new Unknown(phrase, missing));
                continue;
            }
            bySpoken.putIfAbsent(String.join(" ", words), phrase);
        }
        StringBuilder g = new StringBuilder("#JSGF V1.0;\ngrammar ivr;\npublic <phrase> = ");
        boolean first = true;
        for (String spoken : bySpoken.keySet()) {
            if (!first) {
                g.append("\n    | ");
            }
            first = false;
            List<String> tokens = new ArrayList<>();
            for (String w : spoken.split(" ")) {
                tokens.add(quote(w));
            }
            g.append(String.join(" ", tokens));
        }
        g.append(";\n");
        return new SphinxGrammar(bySpoken.isEmpty() ? "" : g.toString(), Map.copyOf(bySpoken), List.copyOf(unknown));
    }

    /** A phrase's words as the dictionary has them: normalised, numbers spelled out. */
    static List<String> words(String phrase, RuleBasedNumberFormat spell) {
        List<String> out = new ArrayList<>();
        String normal = ListenRequest.normalise(phrase);
        if (normal.isEmpty()) {
            return out;
        }
        for (String w : normal.split(" ")) {
            if (w.chars().allMatch(Character::isDigit) && w.length() <= 15) {
                String spoken;
                synchronized (spell) {
                    spoken = spell.format(Long.parseLong(w));
                }
                for (String s : ListenRequest.normalise(spoken.replace('-', ' ')).split(" ")) {
                    out.add(s);
                }
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** A JSGF quoted token: what normalisation leaves is letters, digits and apostrophes; quotes and backslashes are escaped all the same. */
    static String quote(String word) {
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The grammar's JSGF text; empty when no phrase could be used. */
    String jsgf() {
        return jsgf;
    }

    boolean isEmpty() {
        return phraseBySpoken.isEmpty();
    }

    /** Phrases left out, each with the words the dictionary lacks. */
    List<Unknown> unknown() {
        return unknown;
    }

    /** The phrase the decoder's words stand for, or null (out of grammar). */
    String phraseOf(String words) {
        return phraseBySpoken.get(ListenRequest.normalise(words));
    }
}
