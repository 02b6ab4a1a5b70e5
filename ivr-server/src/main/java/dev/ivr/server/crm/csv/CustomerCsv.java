package dev.ivr.server.crm.csv;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.attributes.DeclaredAttribute;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.logging.LogText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The customer CSV format, shared by import and export. One row per customer; a header row
 * names the columns, in any order:
 * <pre>
 * id            required: 1-64 letters, digits, '.', '_' or '-'
 * first_name    last_name    language (en, hu, en-GB ...)    tier
 * phones        numbers separated by ';' in any format of the default country (06 1 234 5678, +36...)
 * accounts      account numbers separated by ';'
 * pins          PINs (4-16 digits) for those accounts, in the same order, ';'-separated;
 *               hashed on import, never stored or printed; an empty entry keeps the current PIN
 * pin_hashes    instead of pins: Argon2id or bcrypt hashes (what export --with-pin-hashes writes)
 * statuses      active, blocked or closed, per account in the same order; empty keeps the
 *               current status (active for a new account)
 * attr.NAME     one column per attribute; an empty cell means no such attribute; an attribute
 *               declared in crm.attributes must fit its type (date YYYY-MM-DD, number, boolean,
 *               enum value) and is stored in its canonical form
 * </pre>
 * Messages about a row never quote a value that could be a PIN or a PIN hash, in whatever
 * column it landed (columns shifted by a missing header or a stray separator): see
 * {@link #shown}. Export writes cells that a spreadsheet would take for a formula (starting
 * with {@code = + - @}, tab or CR) behind an apostrophe ({@link #neutralise}); import takes
 * one leading apostrophe off such a cell ({@link #restore}).
 */
public final class CustomerCsv {
    public static final String ID = "id";
    public static final String FIRST_NAME = "first_name";
    public static final String LAST_NAME = "last_name";
    public static final String LANGUAGE = "language";
    public static final String TIER = "tier";
    public static final String PHONES = "phones";
    public static final String ACCOUNTS = "accounts";
    public static final String PINS = "pins";
    public static final String PIN_HASHES = "pin_hashes";
    public static final String STATUSES = "statuses";
    public static final String ATTR = "attr.";
    public static final List<String> COLUMNS = List.of(ID, FIRST_NAME, LAST_NAME, LANGUAGE, TIER, PHONES, ACCOUNTS, PINS,
            PIN_HASHES, STATUSES);
    public static final Set<String> STATUS_VALUES = Set.of("active", "blocked", "closed");

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).get();
    static final CSVFormat OUTPUT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LANGUAGE_PATTERN = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
    private static final Pattern ATTR_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern PIN = Pattern.compile("[0-9]{4,16}");
    /** Values that could be a PIN: all digits, PIN-long (account numbers often are, so they are not quoted either). */
    private static final Pattern PIN_LIKE = Pattern.compile("[0-9]{4,16}");
    private static final String FORMULA_START = "=+-@\t\r";
    private static final int MAX_ACCOUNTS = 50;
    private static final int MAX_PHONES = 50;

    private CustomerCsv() {
    }

    /**
     * An account as a row gives it: the PIN in clear until hashed, or an existing hash; null
     * for both keeps the stored PIN. A null status keeps the stored one (active for a new account).
     */
    public record AccountEntry(String number, String pin, String pinHash, String status) {
        @Override
        public String toString() { // never the PIN
            return "AccountEntry[" + number + ", pin " + (pin == null ? "none" : "given") + ", status " + status + "]";
        }
    }

    /** A valid row. */
    public record Row(int line, String id, String firstName, String lastName, String language, String tier,
                      List<String> phones, List<AccountEntry> accounts, Map<String, String> attributes) {
    }

    /**
     * A value as messages may quote it: in quotes, control characters escaped, cut to 40
     * characters; a value that could be a PIN (4-16 digits) or is a PIN hash is described
     * instead, never quoted.
     */
    static String shown(String value) {
        String v = value.strip();
        if (PIN_LIKE.matcher(v).matches()) {
            return "(" + v.length() + " digits, not shown)";
        }
        if (PinHasher.isHash(v) || v.startsWith("$argon2") || v.startsWith("$2")) {
            return "(a PIN hash, not shown)";
        }
        String cut = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        return "'" + LogText.escape(cut) + "'";
    }

    /**
     * A cell for export: one a spreadsheet would run as a formula ({@code = + - @}, tab, CR at
     * the start), or that starts with an apostrophe, gets an apostrophe in front, which
     * spreadsheets take as "text" and {@link #restore} takes off again.
     */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char c = cell.charAt(0);
        return FORMULA_START.indexOf(c) >= 0 || c == '\'' ? "'" + cell : cell;
    }

    /** A cell as imported: the apostrophe {@link #neutralise} put in front taken off. */
    static String restore(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == '\'') {
            char c = cell.charAt(1);
            if (FORMULA_START.indexOf(c) >= 0 || c == '\'') {
                return cell.substring(1);
            }
        }
        return cell;
    }

    /** Problems with the header: unknown columns, no id. Empty when it is fine. */
    static List<String> checkHeader(List<String> header) {
        List<String> problems = new ArrayList<>();
        if (header.size() == 1) { // a spreadsheet's export with another separator reads as one column
            for (String sep : new String[]{";", "\t", "|"}) {
                if (header.get(0).contains(sep)) {
                    String name = sep.equals("\t") ? "tabs" : "'" + sep + "'";
                    problems.add("the header is a single column with " + name + " in it: the file separates fields with "
                            + name + "; import-customers reads commas (export as \"CSV UTF-8, comma-separated\", or"
                            + " replace the separator)");
                    return problems;
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String h : header) {
            if (!seen.add(h)) {
                problems.add("column " + shown(h) + " appears twice");
            }
            if (h.startsWith(ATTR)) {
                if (!ATTR_NAME.matcher(h.substring(ATTR.length())).matches()) {
                    problems.add("column " + shown(h) + ": attribute names are 1-100 letters, digits, '_', '.' or '-'");
                }
            } else if (!COLUMNS.contains(h)) {
                // a file without a header row: its first customer is taken for the header, PINs included
                problems.add("unknown column " + shown(h) + dev.ivr.server.text.DidYouMean.closest(h, COLUMNS)
                        .map(c -> " (did you mean '" + c + "'?)").orElse("") + "; columns are " + String.join(", ", COLUMNS) + " and attr.NAME (is the header row missing?)");
            }
        }
        if (!seen.contains(ID)) {
            problems.add("the header has no 'id' column");
        }
        return problems;
    }

    /**
     * Reads one record. Returns the row, or adds what is wrong with it to {@code problems}
     * (messages never contain a PIN) and returns null.
     */
    static Row parse(CSVRecord r, int line, Map<String, Integer> header, PhoneNumbers numbers, List<String> problems) {
        return parse(r, line, header, numbers, AttributeSchema.NONE, problems);
    }

    /** As {@link #parse(CSVRecord, int, Map, PhoneNumbers, List)}, declared attributes checked by type and made canonical. */
    static Row parse(CSVRecord r, int line, Map<String, Integer> header, PhoneNumbers numbers, AttributeSchema schema,
                     List<String> problems) {
        if (r.size() != header.size()) {
            problems.add(r.size() + " fields where the header has " + header.size());
            return null;
        }
        String id = get(r, header, ID);
        if (!ID_PATTERN.matcher(id).matches()) {
            problems.add("id: " + (id.isEmpty() ? "is empty" : shown(id) + " is not 1-64 letters, digits, '.', '_' or '-'"));
        }
        String first = text(r, header, FIRST_NAME, 200, problems);
        String last = text(r, header, LAST_NAME, 200, problems);
        String language = get(r, header, LANGUAGE);
        if (!language.isEmpty() && !LANGUAGE_PATTERN.matcher(language).matches()) {
            problems.add("language: " + shown(language) + " is not a language tag such as en, hu or en-GB");
        }
        String tier = text(r, header, TIER, 64, problems);

        List<String> phones = new ArrayList<>();
        List<String> phoneEntries = list(get(r, header, PHONES));
        for (int i = 0; i < phoneEntries.size(); i++) {
            String p = phoneEntries.get(i);
            if (p.isEmpty()) {
                continue;
            }
            String entry = "phones: entry " + (i + 1) + " " + shown(p);
            switch (numbers.parse(p)) {
                case PhoneNumbers.Number n -> {
                    if (!phones.contains(n.e164())) {
                        phones.add(n.e164());
                    }
                }
                case PhoneNumbers.Withheld w -> problems.add(entry + " is not a phone number");
                case PhoneNumbers.Invalid bad -> problems.add(entry + " is not a phone number (" + bad.reason()
                        + "; default country " + numbers.defaultCountry() + ")");
            }
        }
        if (phones.size() > MAX_PHONES) {
            problems.add("phones: at most " + MAX_PHONES + " per customer");
        }

        List<AccountEntry> accounts = accounts(r, header, problems);

        Map<String, String> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> h : header.entrySet()) {
            if (h.getKey().startsWith(ATTR)) {
                String v = restore(r.get(h.getValue()));
                String name = h.getKey().substring(ATTR.length());
                if (v.isEmpty()) {
                    continue;
                }
                try {
                    attrs.put(name, schema.canonical(name, v));
                } catch (DeclaredAttribute.InvalidValue e) {
                    problems.add(h.getKey() + ": " + shown(v) + " " + e.getMessage()
                            + schema.get(name).map(d -> " (declared " + d.type().word() + " in crm.attributes)").orElse(""));
                }
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new Row(line, id, blankToNull(first), blankToNull(last), blankToNull(language), blankToNull(tier), phones,
                accounts, attrs);
    }

    private static List<AccountEntry> accounts(CSVRecord r, Map<String, Integer> header, List<String> problems) {
        List<String> numbers = list(get(r, header, ACCOUNTS));
        List<String> pins = list(get(r, header, PINS));
        List<String> hashes = list(get(r, header, PIN_HASHES));
        List<String> statuses = list(get(r, header, STATUSES));
        List<AccountEntry> out = new ArrayList<>();
        if (numbers.size() == 1 && numbers.get(0).isEmpty()) {
            numbers = List.of();
        }
        if (numbers.size() > MAX_ACCOUNTS) {
            problems.add("accounts: at most " + MAX_ACCOUNTS + " per customer");
            return out;
        }
        if (!aligned(PINS, pins, numbers.size(), problems) || !aligned(PIN_HASHES, hashes, numbers.size(), problems)
                || !aligned(STATUSES, statuses, numbers.size(), problems)) {
            return out;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < numbers.size(); i++) {
            String number = JdbcCrmStore.normaliseAccount(numbers.get(i));
            if (number == null) {
                problems.add("accounts: entry " + (i + 1) + " " + shown(numbers.get(i)) + " is not 1-64 letters and digits");
                continue;
            }
            Integer first = seen.putIfAbsent(number, i + 1);
            if (first != null) {
                problems.add("accounts: entry " + (i + 1) + " repeats entry " + first);
                continue;
            }
            String pin = i < pins.size() && !pins.get(i).isEmpty() ? pins.get(i) : null;
            String hash = i < hashes.size() && !hashes.get(i).isEmpty() ? hashes.get(i) : null;
            String status = i < statuses.size() && !statuses.get(i).isEmpty()
                    ? statuses.get(i).toLowerCase(java.util.Locale.ROOT) : null;
            if (pin != null && !PIN.matcher(pin).matches()) {
                problems.add("pins: entry " + (i + 1) + " must be 4 to 16 digits");
            }
            if (hash != null && !PinHasher.isHash(hash)) {
                problems.add("pin_hashes: entry " + (i + 1) + " is not an Argon2id or bcrypt hash");
            }
            if (pin != null && hash != null) {
                problems.add("accounts: entry " + (i + 1) + ": give a PIN or a PIN hash, not both");
            }
            if (status != null && !STATUS_VALUES.contains(status)) {
                problems.add("statuses: entry " + (i + 1) + " " + shown(status) + " must be active, blocked or closed");
            }
            out.add(new AccountEntry(number, pin, hash, status));
        }
        return out;
    }

    /** A per-account column is empty or has one entry per account. */
    private static boolean aligned(String column, List<String> entries, int accounts, List<String> problems) {
        boolean empty = entries.size() == 1 && entries.get(0).isEmpty();
        if (!empty && entries.size() != accounts) {
            problems.add(column + ": " + entries.size() + " entries for " + accounts + " account(s); give one per account,"
                    + " in the same order (';'-separated)");
            return false;
        }
        return true;
    }

    private static String text(CSVRecord r, Map<String, Integer> header, String column, int max, List<String> problems) {
        String v = get(r, header, column);
        if (v.length() > max) {
            problems.add(column + ": longer than " + max + " characters");
        }
        return v;
    }

    private static String get(CSVRecord r, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null ? "" : restore(r.get(i));
    }

    /** {@code a; b;;c} → [a, b, "", c]; an empty cell → [""]. */
    static List<String> list(String cell) {
        List<String> out = new ArrayList<>();
        for (String s : cell.split(";", -1)) {
            out.add(s.strip());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
