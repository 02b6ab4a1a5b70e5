package dev.ivr.server.prompt.say;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * English (US style): "three hundred twenty-one", "twelve dollars and five cents",
 * "Tuesday, March third, twenty twenty-five", "nine oh five a m".
 */
final class EnglishForms implements SpokenForms {
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    private static final String[] ORDINALS = {"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth"};
    private static final String[] MONTHS = {"", "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"};
    private static final String[] DAYS = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final long[] SCALES = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    private static final String[] SCALE_IDS = {"trillion", "billion", "million", "thousand"};
    /** Currency: major singular, major plural, minor singular, minor plural (null: no minor unit spoken). */
    private static final Map<String, String[]> CURRENCIES = Map.of(
            "USD", new String[]{"dollar", "dollars", "cent", "cents"},
            "EUR", new String[]{"euro", "euros", "cent", "cents"},
            "GBP", new String[]{"pound", "pounds", "penny", "pence"},
            "CAD", new String[]{"dollar", "dollars", "cent", "cents"},
            "AUD", new String[]{"dollar", "dollars", "cent", "cents"},
            "CHF", new String[]{"franc", "francs", "centime", "centimes"},
            "HUF", new String[]{"forint", "forints", null, null});

    /** Created after the tables above (static initialisation runs in text order). */
    static final EnglishForms INSTANCE = new EnglishForms();

    private final Map<String, String> texts;

    private EnglishForms() {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < ONES.length; i++) {
            t.put(Integer.toString(i), ONES[i]);
        }
        for (int i = 2; i < TENS.length; i++) {
            t.put(Integer.toString(i * 10), TENS[i]);
        }
        t.put("hundred", "hundred");
        for (String s : SCALE_IDS) {
            t.put(s, s);
        }
        t.put("minus", "minus");
        t.put("and", "and");
        t.put("point", "point");
        t.put("oh", "oh");
        for (int i = 1; i < ORDINALS.length; i++) {
            t.put("ord." + i, ORDINALS[i]);
        }
        t.put("ord.30", "thirtieth");
        for (int i = 1; i < MONTHS.length; i++) {
            t.put("month." + i, MONTHS[i]);
        }
        for (int i = 1; i < DAYS.length; i++) {
            t.put("day." + i, DAYS[i]);
        }
        t.put("oclock", "o'clock");
        t.put("am", "a m");
        t.put("pm", "p m");
        t.put("noon", "noon");
        t.put("midnight", "midnight");
        for (Map.Entry<String, String[]> c : CURRENCIES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            String[] w = c.getValue();
            t.put("cur." + c.getKey() + ".one", w[0]);
            t.put("cur." + c.getKey() + ".many", w[1]);
            if (w[2] != null) {
                t.put("cur." + c.getKey() + ".minor.one", w[2]);
                t.put("cur." + c.getKey() + ".minor.many", w[3]);
            }
        }
        texts = Collections.unmodifiableMap(t);
    }

    @Override
    public String language() {
        return "en";
    }

    @Override
    public Map<String, String> segmentTexts() {
        return texts;
    }

    @Override
    public List<String> number(long n) {
        List<String> out = new ArrayList<>();
        if (n == 0) {
            out.add("0");
            return out;
        }
        if (n < 0) {
            out.add("minus");
            if (n == Long.MIN_VALUE) {
                throw new IllegalArgumentException("number too large to say: " + n);
            }
            n = -n;
        }
        if (n >= 1000 * SCALES[0]) {
            throw new IllegalArgumentException("number too large to say: " + n);
        }
        for (int i = 0; i < SCALES.length; i++) {
            if (n >= SCALES[i]) {
                below1000((int) (n / SCALES[i]), out);
                out.add(SCALE_IDS[i]);
                n %= SCALES[i];
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
        below100(n, out);
    }

    private static void below100(int n, List<String> out) {
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

    @Override
    public List<String> amount(BigDecimal amount, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        String[] words = CURRENCIES.get(code);
        if (words == null) {
            throw new IllegalArgumentException("no English words for currency " + currency + "; known: "
                    + CURRENCIES.keySet().stream().sorted().toList());
        }
        List<String> out = new ArrayList<>();
        BigDecimal abs = amount.abs().setScale(2, RoundingMode.HALF_EVEN);
        if (amount.signum() < 0) {
            out.add("minus");
        }
        long major = abs.longValue();
        int minor = abs.remainder(BigDecimal.ONE).movePointRight(2).intValue();
        if (words[2] == null) { // no minor unit: round to whole units
            major = abs.setScale(0, RoundingMode.HALF_EVEN).longValue();
            minor = 0;
        }
        if (major > 0 || minor == 0) {
            out.addAll(number(major));
            out.add("cur." + code + (major == 1 ? ".one" : ".many"));
        }
        if (minor > 0) {
            if (major > 0) {
                out.add("and");
            }
            out.addAll(number(minor));
            out.add("cur." + code + (minor == 1 ? ".minor.one" : ".minor.many"));
        }
        return out;
    }

    @Override
    public List<String> date(LocalDate date) {
        List<String> out = new ArrayList<>();
        out.add("day." + date.getDayOfWeek().getValue());
        out.add("month." + date.getMonthValue());
        out.addAll(ordinal(date.getDayOfMonth()));
        out.addAll(year(date.getYear()));
        return out;
    }

    private static List<String> ordinal(int n) {
        if (n <= 20 || n == 30) {
            return List.of("ord." + n);
        }
        return List.of(Integer.toString(n / 10 * 10), "ord." + n % 10);
    }

    private List<String> year(int y) {
        List<String> out = new ArrayList<>();
        if (y < 1000 || y > 9999 || y % 1000 < 10 && y / 1000 == 2) { // 2000-2009, and years not of four digits
            return number(y);
        }
        int hi = y / 100;
        int lo = y % 100;
        below100(hi, out);
        if (lo == 0) {
            out.add("hundred");
        } else if (lo < 10) {
            out.add("oh");
            out.add(Integer.toString(lo));
        } else {
            below100(lo, out);
        }
        return out;
    }

    @Override
    public List<String> time(LocalTime time) {
        int h = time.getHour();
        int m = time.getMinute();
        if (m == 0 && h == 12) {
            return List.of("12", "noon");
        }
        if (m == 0 && h == 0) {
            return List.of("midnight");
        }
        List<String> out = new ArrayList<>();
        int h12 = h % 12 == 0 ? 12 : h % 12;
        below100(h12, out);
        if (m == 0) {
            out.add("oclock");
        } else if (m < 10) {
            out.add("oh");
            out.add(Integer.toString(m));
        } else {
            below100(m, out);
        }
        out.add(h < 12 ? "am" : "pm");
        return out;
    }

    @Override
    public List<String> digits(String digits) {
        List<String> out = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("only digits 0-9 can be said one by one: '" + digits + "'");
            }
            out.add(Character.toString(c));
        }
        return out;
    }
}
