package dev.ivr.server.prompt.say;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a language says numbers, amounts, dates and times: the words from CLDR's rules (ICU4J,
 * {@link IcuForms}), for the text to speech engine, and the written form for transcripts and
 * screens.
 *
 * <p>Numbers and digits also come as <em>segments</em>: ids such as {@code n.45} whose texts,
 * played one after the other, say the number ({@link #number}, {@link #digits}). They are
 * rendered ahead of time, so a queue position costs no synthesis while the caller waits. A
 * segment {@code id} is found in the language's catalog as prompt {@code say.<id>} (a
 * recording or a text), else spoken from {@link #segmentText}.
 *
 * <p>Amounts, dates, times and ordinals are spoken as one utterance ({@link Spoken#segments()}
 * empty): their words depend on each other (grammar, plural, case), so they are synthesised
 * whole and cached by content like any dynamic text.
 */
public interface SpokenForms {

    String language();

    /** An ordinal as it is written ("3rd", "3.", "3º"); digits where the language has no written form. */
    default String writtenOrdinal(long n) {
        return Long.toString(n);
    }

    /** A number as segments ({@code n.<value>}) whose texts joined say it. */
    List<String> number(long n);

    /**
     * A number counting a noun of the given gender ({@code masculine}, {@code feminine} or
     * {@code neuter}), as segments: "eine Minute" (not "eins Minute"), "un minuto", "veintiún
     * minutos". A language without gendered numbers, or without that gender, says the plain
     * number. The segments are the plain number's where the words are the same, else
     * {@code n.<m|f|n>.<value>}.
     */
    List<String> count(long n, String gender);

    /** Each digit on its own ("one two three"), for account numbers and codes: segments {@code n.0}..{@code n.9}. */
    List<String> digits(String digits);

    /** The words of a segment id; null when the id is not one of these rules'. */
    String segmentText(String id);

    /** The segments worth rendering ahead of time (numbers up to 100, the hundreds, the thousands up to 9,000). */
    Set<String> prerenderSegments();

    /** A number in words, as when counting ("twelve thousand three hundred forty-five"). */
    String cardinal(long n);

    /** A number written for this language ("12 345" in Hungarian, "12,345" in English). */
    String writtenNumber(long n);

    /** An ordinal in words ("twenty-first", "huszonegyedik", "einundzwanzigste"). */
    String ordinal(long n);

    /**
     * An amount of money in words: the number and the currency's unit with the right plural,
     * the minor unit where the currency has one in cash and the catalog names it.
     *
     * @param unitNames names a catalog gives units: key {@code currency.<CODE>.<plural category>}
     *                  (or without the category), and {@code currency.<CODE>.minor[.<category>]}
     */
    Spoken.Text amount(BigDecimal amount, String currency, Map<String, String> unitNames);

    /** A date in words, in the language's own order, with the weekday and the year. */
    Spoken.Text date(LocalDate date);

    /** A date without weekday and year ("december 2.", "December 2"), spoken as it is said ("december másodika"). */
    Spoken.Text dayAndMonth(LocalDate date);

    /**
     * A time of day in words; {@code pattern} is the catalog's ICU MessageFormat for it (arguments
     * {@code hour}, {@code minute}, {@code hour12}, {@code ampm}, {@code minutes}: words; {@code m}: the minute as a number), null for the default.
     */
    Spoken.Text time(LocalTime time, String pattern);

    /**
     * A person's name as the language says it in a sentence: "Kovács Anna" in Hungarian,
     * "Anna Kovács" in English (CLDR person-name formats).
     *
     * @param nameLanguage the language of the name itself (the customer's), null when unknown
     */
    String personName(String given, String family, String nameLanguage);

    /** The rules for a language ({@code en-GB} uses {@code en}); empty when CLDR has no spell-out rules for it. */
    static Optional<SpokenForms> forLanguage(String language) {
        if (language == null || language.isBlank()) {
            return Optional.empty();
        }
        String key = language.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(Cache.FORMS.computeIfAbsent(key, IcuForms::create).orElse(null));
    }

    /** Per-language rules, created once. */
    final class Cache {
        private static final Map<String, Optional<SpokenForms>> FORMS = new ConcurrentHashMap<>();

        private Cache() {
        }
    }
}
