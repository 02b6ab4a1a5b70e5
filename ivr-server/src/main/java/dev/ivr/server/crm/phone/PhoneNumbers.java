package dev.ivr.server.crm.phone;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Phone numbers to E.164 ({@code +3612345678}), with libphonenumber. Numbers without a
 * {@code +country} code are read in the default country's format, which covers what PBXs send:
 * {@code 06 1 234 5678} (national prefix), {@code 3612345678} (country code without {@code +}),
 * {@code 0036 1 234 5678} (international prefix), {@code +36 1 234 5678}.
 */
public final class PhoneNumbers {
    /** Caller-ID values that mean "no number": what Asterisk and carriers send for withheld callers. */
    private static final Set<String> WITHHELD = Set.of("", "unknown", "anonymous", "restricted", "private",
            "withheld", "unavailable", "blocked", "none", "null", "asterisk");

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final String region;

    /** @param defaultCountry ISO 3166 region, e.g. HU */
    public PhoneNumbers(String defaultCountry) {
        this.region = defaultCountry.toUpperCase(Locale.ROOT);
        if (!util.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unknown country '" + defaultCountry + "'");
        }
    }

    /** What a raw caller number turned out to be. */
    public sealed interface Parsed {
    }

    /** A usable number, in E.164. */
    public record Number(String e164) implements Parsed {
    }

    /** No number: withheld, anonymous, empty. */
    public record Withheld() implements Parsed {
    }

    /** Something that is not a phone number (a SIP user name, an extension too short to dial ...). */
    public record Invalid(String reason) implements Parsed {
    }

    /**
     * What {@link #parse} gave for the numbers seen lately: a call parses its caller's number more
     * than once (identification, the contact history), and callers call again; libphonenumber's
     * parse is among the costlier steps of a call. Results are immutable; bounded.
     */
    private final Cache<String, Parsed> recent = CacheBuilder.newBuilder().maximumSize(RECENT).build();
    static final int RECENT = 10_000;

    public Parsed parse(String raw) {
        if (raw == null || raw.length() > 64) {
            return parseUncached(raw); // nothing, or too long to be worth keeping
        }
        Parsed p = recent.getIfPresent(raw);
        if (p == null) {
            p = parseUncached(raw);
            recent.put(raw, p);
        }
        return p;
    }

    private Parsed parseUncached(String raw) {
        String s = raw == null ? "" : raw.strip();
        // "Anna Kovacs" <3612345678> style caller ids, sip:/tel: URIs
        int lt = s.indexOf('<');
        int gt = s.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            s = s.substring(lt + 1, gt).strip();
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
            s = s.substring(s.indexOf(':') + 1);
            int at = s.indexOf('@');
            if (at >= 0) {
                s = s.substring(0, at);
            }
            lower = s.toLowerCase(Locale.ROOT);
        }
        if (WITHHELD.contains(lower.replace("\"", "").strip())) {
            return new Withheld();
        }
        if (s.chars().noneMatch(Character::isDigit)) {
            return new Invalid("no digits");
        }
        if (s.chars().anyMatch(Character::isLetter) && !lower.startsWith("tel:")) {
            return new Invalid("letters in a phone number");
        }
        try {
            PhoneNumber n = util.parse(s, region);
            if (!util.isPossibleNumber(n)) {
                return new Invalid("not a possible number for its country");
            }
            return new Number(util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return new Invalid(e.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }

    /** The E.164 form, or empty when the value is withheld or not a phone number. */
    public Optional<String> e164(String raw) {
        return parse(raw) instanceof Number n ? Optional.of(n.e164()) : Optional.empty();
    }

    public String defaultCountry() {
        return region;
    }
}
