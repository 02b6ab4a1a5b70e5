package dev.ivr.server.crm.attributes;

import java.util.Locale;

/** The types a customer attribute may be declared with ({@code crm.attributes}). */
public enum AttributeType {
    TEXT, NUMBER, DATE, BOOLEAN, ENUM;

    /** As the configuration writes it: {@code text}, {@code number} ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributeType of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
