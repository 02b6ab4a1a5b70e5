package dev.ivr.server.prompt.say;

import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.number.Precision;
import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.ListFormatter;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.PersonName;
import com.ibm.icu.text.PersonNameFormatter;
import com.ibm.icu.text.PluralRules;
import com.ibm.icu.text.RuleBasedNumberFormat;
import com.ibm.icu.text.SimplePersonName;
import com.ibm.icu.util.Currency;
import com.ibm.icu.util.GregorianCalendar;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SpokenForms} from CLDR through ICU4J: {@link RuleBasedNumberFormat} spell-out rules
 * for cardinals, ordinals and years, currency unit names with the language's plural rules,
 * dates in the language's own order ({@link DateFormat#getInstanceForSkeleton}) with the
 * numbers put into words, person names in the language's order ({@link PersonNameFormatter}).
 *
 * <p>What CLDR leaves to the language, and this class adds (each tested): the day of the month
 * as the language says it in a date (English and German ordinals, Hungarian ordinal with the
 * possessive "-a/-e": "december másodika", Italian "primo" for the first, else cardinals), and
 * two Hungarian corrections: CLDR spells 12,000 "tizenkettőezer", Hungarian says "tizenkétezer"
 * ("két" before a multiplier, as CLDR itself does for 2,000), and above 2,000 Hungarian writes a
 * hyphen after each complete group ("tizenkétezer-háromszáznegyvenöt").
 *
 * <p>ICU formatters are not thread-safe: every use is synchronised on this instance (each
 * takes microseconds).
 */
final class IcuForms implements SpokenForms {
    /** Segment ids: {@code n.<value>}, or {@code n.<m|f|n>.<value>} for a number counting a noun of that gender. */
    private static final Pattern SEGMENT = Pattern.compile("n\\.(?:([mfn])\\.)?(\\d{1,15})");
    /** Genders a counted noun may have, as CLDR names its cardinal rule sets ({@code %spellout-cardinal-<gender>}). */
    static final List<String> GENDERS = List.of("masculine", "feminine", "neuter");
    /**
     * The word that joins a round number of millions to what it counts, where the language
     * needs one: "un millón de euros", "un milione di euro", "um milhão de euros", "un million
     * d'euros" (but "un millón doscientos mil euros": only when the millions end the number).
     */
    private static final Map<String, String> MILLIONS_OF = Map.of("es", "de", "pt", "de", "it", "di", "fr", "de", "ca", "de");
    private static final Pattern HU_TWO_BEFORE_MULTIPLIER = Pattern.compile("kettő(?=ezer|millió|milliárd)");
    private static final Pattern HU_GROUP_END = Pattern.compile("(ezer|millió|milliárd)(?=\\p{L})");
    private static final String SOFT_HYPHEN = "\u00AD";

    private final String language;
    private final ULocale locale;
    private final RuleBasedNumberFormat spell;
    private final String numbering;
    private final String cardinal;
    private final String ordinal;
    private final String year;
    private final RuleBasedNumberFormat writtenOrdinal;
    private final PluralRules plurals;
    private final ListFormatter and;
    private final PersonNameFormatter names;
    /** Gender code (m, f, n) to the language's cardinal rule set for it; only genders the language has. */
    private final Map<String, String> genderSets;
    private final Set<String> prerender;

    private IcuForms(String language, ULocale locale, RuleBasedNumberFormat spell) {
        this.language = language;
        this.locale = locale;
        this.spell = spell;
        List<String> sets = Arrays.asList(spell.getRuleSetNames());
        this.numbering = first(sets, "%spellout-numbering", "%spellout-cardinal");
        this.cardinal = first(sets, "%spellout-cardinal", "%spellout-cardinal-masculine", "%spellout-numbering");
        this.ordinal = first(sets, "%spellout-ordinal", "%spellout-ordinal-masculine", numbering);
        this.year = first(sets, "%spellout-numbering-year", numbering);
        this.writtenOrdinal = new RuleBasedNumberFormat(locale, RuleBasedNumberFormat.ORDINAL);
        this.plurals = PluralRules.forLocale(locale);
        this.and = ListFormatter.getInstance(locale);
        this.names = PersonNameFormatter.builder().setLocale(locale.toLocale())
                .setLength(PersonNameFormatter.Length.MEDIUM).setUsage(PersonNameFormatter.Usage.REFERRING)
                .setFormality(PersonNameFormatter.Formality.FORMAL).build();
        Map<String, String> g = new LinkedHashMap<>();
        for (String gender : GENDERS) {
            if (sets.contains("%spellout-cardinal-" + gender)) {
                g.put(gender.substring(0, 1), "%spellout-cardinal-" + gender);
            }
        }
        this.genderSets = Map.copyOf(g);
        List<Long> base = new ArrayList<>();
        for (long i = 0; i <= 100; i++) {
            base.add(i);
        }
        for (long i = 200; i <= 900; i += 100) {
            base.add(i);
        }
        // the thousands: a queue position past 1,000 ("four thousand | three hundred | twelve") is then never
        // synthesised on the call's path (the first caller to reach it waited up to the latency budget, then heard
        // the PBX's digits instead)
        for (long i = 1000; i <= 9000; i += 1000) {
            base.add(i);
        }
        Set<String> p = new LinkedHashSet<>();
        base.forEach(i -> p.add("n." + i));
        // counting forms where they differ from the plain number ("eine", "un", "veintiún")
        genderSets.forEach((code, set) -> base.forEach(i -> {
            if (!words(i, set).equals(cardinal(i))) {
                p.add("n." + code + "." + i);
            }
        }));
        this.prerender = Set.copyOf(p);
    }

    /** The rules of a language, or empty when CLDR has no spell-out rules for it (ICU would fall back to another language). */
    static Optional<SpokenForms> create(String language) {
        ULocale locale = ULocale.forLanguageTag(language);
        if (locale.getLanguage().isEmpty()) {
            return Optional.empty();
        }
        RuleBasedNumberFormat spell = new RuleBasedNumberFormat(locale, RuleBasedNumberFormat.SPELLOUT);
        ULocale actual = spell.getLocale(ULocale.ACTUAL_LOCALE);
        if (actual == null || !actual.getLanguage().equals(locale.getLanguage())) {
            return Optional.empty();
        }
        return Optional.of(new IcuForms(language, locale, spell));
    }

    private static String first(List<String> sets, String... candidates) {
        for (String c : candidates) {
            if (sets.contains(c)) {
                return c;
            }
        }
        return sets.get(sets.size() - 1);
    }

    @Override
    public String language() {
        return language;
    }

    // ------------------------------------------------------------------ numbers

    private synchronized String words(long n, String ruleSet) {
        String s = spell.format(n, ruleSet).replace(SOFT_HYPHEN, "");
        if ("hu".equals(locale.getLanguage())) {
            s = HU_TWO_BEFORE_MULTIPLIER.matcher(s).replaceAll("két");
            if (Math.abs(n) > 2000) { // above 2,000 Hungarian marks the groups: "tizenkétezer-háromszáznegyvenöt"
                s = HU_GROUP_END.matcher(s).replaceAll("$1-");
            }
        }
        return s;
    }

    @Override
    public String cardinal(long n) {
        return words(n, numbering);
    }

    @Override
    public synchronized String writtenNumber(long n) {
        return tidy(NumberFormatter.withLocale(locale).format(n).toString());
    }

    @Override
    public String ordinal(long n) {
        return words(n, ordinal);
    }

    /** The written ordinal ("21st", "21.", "21º"). */
    @Override
    public synchronized String writtenOrdinal(long n) {
        return writtenOrdinal.format(n);
    }

    /**
     * Splits a number where its words split: the head's words then the rest's make exactly the
     * words of the whole (with a space, a hyphen or nothing between), else the number is one
     * segment. So "twelve thousand | three hundred | forty-five", "tizenkétezer | háromszáz |
     * negyvenöt"; Spanish 101 "ciento uno" stays whole (100 alone is "cien").
     */
    @Override
    public List<String> number(long n) {
        return segments(n, null);
    }

    /**
     * A number counting a noun of that gender, with the language's gendered cardinal rules
     * (CLDR {@code %spellout-cardinal-feminine} ...): German "eine Minute", Italian "un minuto",
     * Spanish "veintiún minutos". A segment whose words are those of the plain number is the
     * plain number's segment, so only the words that differ are rendered twice.
     */
    @Override
    public List<String> count(long n, String gender) {
        String code = gender == null ? null : gender.strip().toLowerCase(Locale.ROOT);
        if (code != null && !GENDERS.contains(code)) {
            throw new IllegalArgumentException("a counted noun is masculine, feminine or neuter, not '" + gender + "'");
        }
        code = code == null ? null : code.substring(0, 1);
        return segments(n, code != null && genderSets.containsKey(code) ? code : null);
    }

    private List<String> segments(long n, String gender) {
        if (n < 0) {
            throw new IllegalArgumentException("negative numbers are spoken as one utterance, not from segments: " + n);
        }
        List<String> out = new ArrayList<>();
        split(n, gender, out);
        return out;
    }

    /** The words of a number, plain (gender null) or counting a noun of that gender. */
    private String words(long n, String gender, boolean counting) {
        return counting && gender != null ? words(n, genderSets.get(gender)) : cardinal(n);
    }

    /** The words of a number counting a noun of that gender (for tests: what the segments must say). */
    String countWords(long n, String gender) {
        String code = gender.substring(0, 1);
        return genderSets.containsKey(code) ? words(n, genderSets.get(code)) : cardinal(n);
    }

    private String segmentId(long n, String gender) {
        return gender == null || words(n, gender, true).equals(cardinal(n)) ? "n." + n : "n." + gender + "." + n;
    }

    /**
     * Splits a number where its words split: the head's words then the rest's make exactly the
     * words of the whole (with a space, a hyphen or nothing between), else the number is one
     * segment. So "twelve thousand | three hundred | forty-five", "tizenkétezer | háromszáz |
     * negyvenöt"; Spanish 101 "ciento uno" stays whole (100 alone is "cien").
     */
    private void split(long n, String gender, List<String> out) {
        if (n <= 100) {
            out.add(segmentId(n, gender));
            return;
        }
        long scale = 100;
        if (n >= 1000) {
            scale = 1000;
            while (scale <= n / 1000) {
                scale *= 1000;
            }
        }
        long tail = n % scale;
        long head = n - tail;
        boolean counting = gender != null;
        if (tail != 0 && joins(words(head, gender, counting), words(tail, gender, counting), words(n, gender, counting))) {
            out.add(segmentId(head, gender));
            split(tail, gender, out);
        } else {
            out.add(segmentId(n, gender));
        }
    }

    private static boolean joins(String head, String tail, String whole) {
        return whole.equals(head + " " + tail) || whole.equals(head + tail) || whole.equals(head + "-" + tail);
    }

    @Override
    public List<String> digits(String digits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("only digits 0-9 can be said one by one: '" + digits + "'");
            }
            out.add("n." + c);
        }
        return out;
    }

    @Override
    public String segmentText(String id) {
        Matcher m = SEGMENT.matcher(id);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(2));
        if (m.group(1) == null) {
            return cardinal(n);
        }
        return genderSets.containsKey(m.group(1)) ? words(n, genderSets.get(m.group(1))) : null;
    }

    @Override
    public Set<String> prerenderSegments() {
        return prerender;
    }

    // ------------------------------------------------------------------ money

    @Override
    public Spoken.Text amount(BigDecimal amount, String currency, Map<String, String> unitNames) {
        String code = currency.toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z]{3}") || !Currency.isAvailable(code, null, null)) {
            throw new IllegalArgumentException("not an ISO 4217 currency code: " + currency);
        }
        Currency cur = Currency.getInstance(code);
        int fraction = Math.max(0, cur.getDefaultFractionDigits(Currency.CurrencyUsage.CASH));
        BigDecimal abs = amount.abs().setScale(fraction, RoundingMode.HALF_EVEN);
        long major = abs.longValue();
        long minor = fraction == 0 ? 0 : abs.remainder(BigDecimal.ONE).movePointRight(fraction).longValue();
        String unit = unitName(cur, "currency." + code, major, unitNames);
        String majorWords = amountWords(major) + " " + millionsOf(major, unit);
        String spoken;
        if (minor == 0) {
            spoken = majorWords;
        } else {
            String minorUnit = minorName("currency." + code + ".minor", minor, unitNames);
            String minorWords = amountWords(minor) + (minorUnit == null ? "" : " " + minorUnit);
            spoken = major == 0 && minorUnit != null ? minorWords : list(majorWords, minorWords);
        }
        if (amount.signum() < 0 && abs.signum() != 0) {
            spoken = minusWord() + " " + spoken;
        }
        String written;
        synchronized (this) {
            written = NumberFormatter.withLocale(locale).precision(Precision.fixedFraction(minor == 0 ? 0 : fraction))
                    .format(amount.signum() < 0 ? abs.negate() : abs).toString();
        }
        return new Spoken.Text(spoken, tidy(written + " " + unit));
    }

    /** The unit after a number, with the word joining round millions to it where the language has one ("de euros"). */
    private String millionsOf(long n, String unit) {
        String of = MILLIONS_OF.get(locale.getLanguage());
        if (of == null || n == 0 || n % 1_000_000 != 0) {
            return unit;
        }
        boolean elide = "de".equals(of) && ("fr".equals(locale.getLanguage()) || "ca".equals(locale.getLanguage()))
                && !unit.isEmpty() && "aeiouhàâéèêëîïôöùûüœ".indexOf(Character.toLowerCase(unit.charAt(0))) >= 0;
        return elide ? "d'" + unit : of + " " + unit;
    }

    private String amountWords(long n) {
        return words(n, cardinal);
    }

    private synchronized String list(String a, String b) {
        return and.format(a, b);
    }

    private String minusWord() {
        String minusOne = words(-1, numbering);
        String one = words(1, numbering);
        return minusOne.endsWith(one) ? minusOne.substring(0, minusOne.length() - one.length()).trim() : "minus";
    }

    private synchronized String pluralCategory(long n) {
        return plurals.select((double) n);
    }

    private String unitName(Currency cur, String key, long n, Map<String, String> names) {
        String category = pluralCategory(n);
        String named = names.getOrDefault(key + "." + category, names.get(key));
        if (named != null) {
            return named;
        }
        synchronized (this) {
            return cur.getName(locale, Currency.PLURAL_LONG_NAME, category, new boolean[1]);
        }
    }

    private String minorName(String key, long n, Map<String, String> names) {
        return names.getOrDefault(key + "." + pluralCategory(n), names.get(key));
    }

    // ------------------------------------------------------------ dates, times

    @Override
    public Spoken.Text date(LocalDate date) {
        return dateWith("yMMMMdEEEE", date);
    }

    @Override
    public Spoken.Text dayAndMonth(LocalDate date) {
        return dateWith("MMMMd", date);
    }

    @SuppressWarnings("JdkObsolete") // ICU's DateFormat.format(Date, StringBuffer, FieldPosition) takes a StringBuffer
    private synchronized Spoken.Text dateWith(String skeleton, LocalDate date) {
        DateFormat f = DateFormat.getInstanceForSkeleton(skeleton, locale);
        f.setTimeZone(TimeZone.GMT_ZONE);
        GregorianCalendar c = new GregorianCalendar(TimeZone.GMT_ZONE, locale);
        c.clear();
        c.set(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth());
        String written = f.format(c.getTime());
        java.text.FieldPosition day = new java.text.FieldPosition(DateFormat.Field.DAY_OF_MONTH);
        f.format(c.getTime(), new StringBuffer(), day);
        java.text.FieldPosition yr = new java.text.FieldPosition(DateFormat.Field.YEAR);
        f.format(c.getTime(), new StringBuffer(), yr);
        List<int[]> fields = new ArrayList<>(); // begin, end, which (0 day, 1 year); replaced from the end
        if (day.getEndIndex() > day.getBeginIndex()) {
            fields.add(new int[]{day.getBeginIndex(), day.getEndIndex(), 0});
        }
        if (yr.getEndIndex() > yr.getBeginIndex()) {
            fields.add(new int[]{yr.getBeginIndex(), yr.getEndIndex(), 1});
        }
        fields.sort((a, b) -> Integer.compare(b[0], a[0]));
        StringBuilder spoken = new StringBuilder(written);
        for (int[] fld : fields) {
            int stop = fld[1];
            if (stop < spoken.length() && spoken.charAt(stop) == '.') { // "2." and "2025." mark the number: not said
                stop++;
            }
            spoken.replace(fld[0], stop, fld[2] == 0 ? dayOfMonth(date.getDayOfMonth()) : words(date.getYear(), year));
        }
        return new Spoken.Text(tidy(spoken.toString()), tidy(written));
    }

    private static String tidy(String s) {
        return s.replace('\u202F', ' ').replace('\u00A0', ' ').replaceAll("\\s+", " ").replaceAll(" ,", ",").trim();
    }

    /** The day of the month as the language says it inside a date. */
    String dayOfMonth(int d) {
        return switch (locale.getLanguage()) {
            case "en" -> ordinal(d);
            case "de" -> words(d, "%spellout-ordinal-r");
            case "hu" -> hungarianDay(ordinal(d));
            case "it" -> d == 1 ? ordinal(d) : cardinal(d);
            default -> cardinal(d);
        };
    }

    /** "második" → "másodika", "negyedik" → "negyedike", "első" → "elseje": the suffix follows the stem's last vowel. */
    static String hungarianDay(String ordinal) {
        if (ordinal.equals("első")) {
            return "elseje";
        }
        String stem = ordinal.endsWith("ik") ? ordinal.substring(0, ordinal.length() - 2) : ordinal;
        for (int i = stem.length() - 1; i >= 0; i--) {
            char v = stem.charAt(i);
            if ("aáoóuú".indexOf(v) >= 0) {
                return ordinal + "a";
            }
            if ("eéiíöőüű".indexOf(v) >= 0) {
                return ordinal + "e";
            }
        }
        return ordinal + "e";
    }

    @Override
    public Spoken.Text time(LocalTime time, String pattern) {
        int h = time.getHour();
        int m = time.getMinute();
        String written;
        synchronized (this) {
            DateFormat f = DateFormat.getInstanceForSkeleton("jmm", locale);
            f.setTimeZone(TimeZone.GMT_ZONE);
            GregorianCalendar c = new GregorianCalendar(TimeZone.GMT_ZONE, locale);
            c.clear();
            c.set(2000, 0, 1, h, m);
            written = f.format(c.getTime());
        }
        int h12 = h % 12 == 0 ? 12 : h % 12;
        String ampm = h < 12 ? "a m" : "p m";
        String minute = m == 0 ? "" : ("en".equals(locale.getLanguage()) && m < 10 ? "oh " : "") + cardinal(m);
        if (pattern == null || pattern.isBlank()) {
            boolean twelve = written.matches(".*\\p{L}.*"); // the written form has an AM/PM marker
            String spoken = twelve ? cardinal(h12) + (minute.isEmpty() ? "" : " " + minute) + " " + ampm
                    : cardinal(h) + (minute.isEmpty() ? "" : " " + minute);
            return new Spoken.Text(spoken, tidy(written));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("hour", words(h, cardinal));
        args.put("hour12", words(h12, cardinal));
        args.put("minute", m == 0 ? "" : cardinal(m));
        args.put("ampm", ampm);
        args.put("h", h);
        args.put("m", m);
        synchronized (this) {
            return new Spoken.Text(tidy(new MessageFormat(pattern, locale).format(args)), tidy(written));
        }
    }

    // ------------------------------------------------------------------ names

    @Override
    public String personName(String given, String family, String nameLanguage) {
        boolean hasGiven = given != null && !given.isBlank();
        boolean hasFamily = family != null && !family.isBlank();
        if (!hasGiven && !hasFamily) {
            return "";
        }
        if (!hasGiven || !hasFamily) {
            return hasGiven ? given.strip() : family.strip();
        }
        ULocale nameLocale = nameLanguage == null || nameLanguage.isBlank() ? locale : ULocale.forLanguageTag(nameLanguage);
        PersonName name = SimplePersonName.builder().setLocale(nameLocale.toLocale())
                .addField(PersonName.NameField.GIVEN, null, given.strip())
                .addField(PersonName.NameField.SURNAME, null, family.strip()).build();
        synchronized (this) {
            return names.formatToString(name);
        }
    }
}
