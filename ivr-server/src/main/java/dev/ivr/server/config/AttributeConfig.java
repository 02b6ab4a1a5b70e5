package dev.ivr.server.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One declared customer attribute of {@code crm.attributes}. */
public record AttributeConfig(
        @Doc("Attribute name, as the CSV column attr.NAME, the API and expressions (customer.attributes.NAME, attr.NAME in segments) name it: 1-100 letters, digits, '_'; starts with a letter.")
        String name,
        @Doc("text, number, date (YYYY-MM-DD), boolean (true/false) or enum.")
        String type,
        @Doc("enum only: the allowed values.")
        List<String> values,
        @Doc("What the attribute means, for people reading the configuration and the API.")
        String description) {

    public static final List<String> TYPES = List.of("text", "number", "date", "boolean", "enum");
    private static final String NAME = "[A-Za-z][A-Za-z0-9_]{0,99}";

    public AttributeConfig {
        values = values == null ? List.of() : List.copyOf(values);
    }

    static void validate(Problems p, List<AttributeConfig> attributes) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            AttributeConfig a = attributes.get(i);
            String key = "attributes[" + i + "]";
            if (a == null) {
                p.add(key, "is empty");
                continue;
            }
            if (a.name() == null || !a.name().matches(NAME)) {
                p.add(key + ".name", "must be 1-100 letters, digits or '_', starting with a letter (got '" + a.name() + "')");
            } else if (!seen.add(a.name())) {
                p.add(key + ".name", "'" + a.name() + "' is declared twice");
            }
            if (a.type() == null || !TYPES.contains(a.type())) {
                p.add(key + ".type", "must be one of " + String.join(", ", TYPES) + " (got '" + a.type() + "')"
                        + (a.type() == null ? "" : dev.ivr.server.text.DidYouMean.suffix(a.type(), TYPES)));
            }
            if ("enum".equals(a.type()) && a.values().isEmpty()) {
                p.add(key + ".values", "an enum attribute needs its values, e.g. values: [basic, premium]");
            }
            if (!"enum".equals(a.type()) && !a.values().isEmpty()) {
                p.add(key + ".values", "only enum attributes have values (this one is " + a.type() + ")");
            }
            for (String v : a.values()) {
                if (v == null || v.isBlank() || v.length() > 1000) {
                    p.add(key + ".values", "values are 1-1000 characters of text");
                }
            }
        }
    }
}
