package dev.ivr.server.crm.attributes;

import dev.ivr.server.text.DidYouMean;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * A customer attribute declared with a type. Values are stored as text in a canonical form
 * that compares as the type does where it can: dates as {@code YYYY-MM-DD} (text order is date
 * order), booleans as {@code true}/{@code false}, numbers as plain decimals (and as a number
 * column beside the text, for comparisons), enum values in their declared spelling.
 */
public record DeclaredAttribute(String name, AttributeType type, List<String> values, String description) {
    public static final int MAX_TEXT = 1000;
    /** Numbers fit the database's decimal(38, 10). */
    private static final int MAX_INTEGER_DIGITS = 28;

    public DeclaredAttribute {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /**
     * The value in its canonical form.
     *
     * @throws InvalidValue saying what is wrong, without quoting the value (the caller quotes it as it may)
     */
    public String canonical(String raw) throws InvalidValue {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            throw new InvalidValue("is empty (leave the attribute out instead)");
        }
        if (v.length() > MAX_TEXT) {
            throw new InvalidValue("is longer than " + MAX_TEXT + " characters");
        }
        return switch (type) {
            case TEXT -> v;
            case NUMBER -> {
                try {
                    BigDecimal d = new BigDecimal(v.replace('_', ' ').strip());
                    if (d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
                        throw new InvalidValue("is too large a number (at most " + MAX_INTEGER_DIGITS + " digits before the point)");
                    }
                    yield d.stripTrailingZeros().toPlainString();
                } catch (NumberFormatException e) {
                    throw new InvalidValue("is not a number (write it as 1234.5: digits, an optional '-' and '.')");
                }
            }
            case DATE -> {
                try {
                    yield LocalDate.parse(v).toString();
                } catch (DateTimeParseException e) {
                    throw new InvalidValue("is not a date (YYYY-MM-DD, e.g. 2027-03-31)");
                }
            }
            case BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "1" -> "true";
                case "false", "no", "n", "0" -> "false";
                default -> throw new InvalidValue("is not true or false (also accepted: yes/no, 1/0)");
            };
            case ENUM -> {
                for (String allowed : values) {
                    if (allowed.equalsIgnoreCase(v)) {
                        yield allowed;
                    }
                }
                throw new InvalidValue("is not one of " + String.join(", ", values) + DidYouMean.suffix(v, values));
            }
        };
    }

    /** A canonical number value as a number (for the number column); null for other types. */
    public BigDecimal number(String canonical) {
        return type == AttributeType.NUMBER ? new BigDecimal(canonical) : null;
    }

    /** A value that does not fit the declared type. */
    public static final class InvalidValue extends Exception {
        public InvalidValue(String message) {
            super(message);
        }
    }
}
