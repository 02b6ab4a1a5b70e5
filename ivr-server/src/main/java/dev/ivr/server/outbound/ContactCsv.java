package dev.ivr.server.outbound;

import dev.ivr.server.crm.phone.PhoneNumbers;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A campaign's contact list as CSV: a header naming a customer id column ({@code customer},
 * {@code customer_id} or {@code id}) and/or a phone column ({@code phone}, {@code number} or
 * {@code phone_number}); other columns are ignored. Numbers come in any format and are read with
 * libphonenumber (the national format with {@code crm.default-country}) into E.164. Every problem
 * is named with its line; rows naming the same customer id or number again are left out (the first
 * row counts). The database side (which customers exist) is {@link ContactImport}'s.
 */
public final class ContactCsv {
    /** The most rows one list may have. */
    public static final int MAX_ROWS = 200_000;
    private static final List<String> ID_COLUMNS = List.of("customer", "customer_id", "id");
    private static final List<String> PHONE_COLUMNS = List.of("phone", "number", "phone_number");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true).setCommentMarker('#').get();

    private ContactCsv() {
    }

    /** One row: its line, the customer id it names (null: none), the number in E.164 (null: none). */
    public record Row(long line, String customerId, String e164) {
    }

    /** The rows read, the problems found ("line N: why"), and how many rows repeated an earlier one. */
    public record Parsed(List<Row> rows, List<String> problems, int duplicates) {
    }

    public static Parsed parse(String text, PhoneNumbers phones) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int duplicates = 0;
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.isBlank()) {
            return new Parsed(rows, List.of("line 1: the list is empty: give a header (customer and/or phone) and one contact a line"), 0);
        }
        try (CSVParser parser = FORMAT.parse(new StringReader(body))) {
            Map<String, Integer> columns = new HashMap<>();
            List<String> names = parser.getHeaderNames();
            for (int i = 0; i < names.size(); i++) {
                columns.putIfAbsent(names.get(i).strip().toLowerCase(Locale.ROOT), i);
            }
            Integer idColumn = ID_COLUMNS.stream().map(columns::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            Integer phoneColumn = PHONE_COLUMNS.stream().map(columns::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (idColumn == null && phoneColumn == null) {
                return new Parsed(rows, List.of("line 1: the header names no customer column (" + String.join(", ", ID_COLUMNS)
                        + ") and no phone column (" + String.join(", ", PHONE_COLUMNS) + "); got: "
                        + shown(String.join(",", names))), 0);
            }
            Map<String, Long> seenIds = new HashMap<>();
            Map<String, Long> seenNumbers = new HashMap<>();
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber(); // the line the row ends on (a quoted value may span lines)
                if (rows.size() + problems.size() >= MAX_ROWS) {
                    problems.add("line " + line + ": more than " + MAX_ROWS + " contacts: split the list");
                    break;
                }
                String id = value(r, idColumn);
                String phone = value(r, phoneColumn);
                if (id == null && phone == null) {
                    problems.add("line " + line + ": neither a customer id nor a phone number");
                    continue;
                }
                if (id != null && (id.length() > 64 || id.chars().anyMatch(Character::isISOControl))) {
                    problems.add("line " + line + ": customer: '" + shown(id) + "' is not a customer id (at most 64 characters)");
                    continue;
                }
                String e164 = null;
                if (phone != null) {
                    PhoneNumbers.Parsed p = phones.parse(phone);
                    if (p instanceof PhoneNumbers.Number n) {
                        e164 = n.e164();
                    } else {
                        problems.add("line " + line + ": phone: '" + shown(phone) + "' is not a phone number ("
                                + (p instanceof PhoneNumbers.Invalid i ? i.reason() : "withheld") + ")");
                        continue;
                    }
                }
                boolean repeated = id != null ? seenIds.putIfAbsent(id, line) != null
                        : seenNumbers.putIfAbsent(e164, line) != null;
                if (repeated) {
                    duplicates++;
                    continue;
                }
                rows.add(new Row(line, id, e164));
            }
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // commons-csv (the text is in memory): a broken quote, a bad header
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            problems.add("not CSV: " + (why.length() > 200 ? why.substring(0, 200) + "..." : why).replaceAll("\\p{Cntrl}", "?"));
        }
        return new Parsed(rows, problems, duplicates);
    }

    private static String value(CSVRecord r, Integer column) {
        if (column == null || column >= r.size()) {
            return null;
        }
        String v = r.get(column).strip();
        return v.isEmpty() ? null : v;
    }

    /** A value as a problem shows it: cut, control characters replaced. */
    static String shown(String v) {
        String cut = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
