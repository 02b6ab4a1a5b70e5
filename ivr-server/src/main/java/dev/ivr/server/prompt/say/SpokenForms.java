package dev.ivr.server.prompt.say;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a language says numbers, amounts, dates and times, as a sequence of segments (words or
 * short phrases such as "twenty", "hundred", "March", "dollars") that are rendered once and
 * joined on the call's path without synthesis. A segment {@code id} is found in the language's
 * catalog as prompt {@code say.<id>} (a recording or a text), else spoken from
 * {@link #segmentTexts()}.
 */
public interface SpokenForms {

    String language();

    List<String> number(long n);

    /** @param currency ISO 4217 code, e.g. USD, EUR, GBP */
    List<String> amount(BigDecimal amount, String currency);

    List<String> date(LocalDate date);

    List<String> time(LocalTime time);

    /** Each digit on its own ("one two three"), for account numbers and codes. */
    List<String> digits(String digits);

    /** Every segment these rules can produce, with its text in the language. */
    Map<String, String> segmentTexts();

    /** The rules for a language ({@code en-GB} uses {@code en}); empty when there are none yet. */
    static Optional<SpokenForms> forLanguage(String language) {
        if (language == null) {
            return Optional.empty();
        }
        String base = language.toLowerCase(Locale.ROOT).split("-")[0];
        return switch (base) {
            case "en" -> Optional.of(EnglishForms.INSTANCE);
            default -> Optional.empty();
        };
    }
}
