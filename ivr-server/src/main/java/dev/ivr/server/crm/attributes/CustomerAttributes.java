package dev.ivr.server.crm.attributes;

import java.util.Map;
import java.util.Optional;

/** Changing a customer's attributes (the API), checked against the declared ones. */
public interface CustomerAttributes {

    AttributeSchema schema();

    /**
     * Sets (a value) or removes (null) attributes of a customer: all changes or none.
     *
     * @return the customer's attributes afterwards, or empty when there is no such customer
     * @throws InvalidAttributes when any value does not fit (nothing is changed)
     * @throws dev.ivr.server.crm.CrmUnavailableException when the database is down
     */
    Optional<Map<String, String>> update(String customerId, Map<String, String> changes) throws InvalidAttributes;

    /** Values that do not fit: field ({@code attributes.NAME}) → what is wrong. */
    final class InvalidAttributes extends Exception {
        private final Map<String, String> fields;

        public InvalidAttributes(Map<String, String> fields) {
            super(fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(java.util.stream.Collectors.joining("; ")));
            this.fields = Map.copyOf(fields);
        }

        public Map<String, String> fields() {
            return fields;
        }
    }

    /** Checks every change against the schema; the canonical values, or the problems of all of them. */
    static Map<String, String> canonical(AttributeSchema schema, Map<String, String> changes) throws InvalidAttributes {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Map<String, String> problems = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String name = e.getKey();
            String field = "attributes." + name;
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,100}")) {
                problems.put(field, "attribute names are 1-100 letters, digits, '_', '.' or '-'");
                continue;
            }
            if (e.getValue() == null) {
                out.put(name, null);
                continue;
            }
            try {
                out.put(name, schema.canonical(name, e.getValue()));
            } catch (DeclaredAttribute.InvalidValue x) {
                problems.put(field, "'" + dev.ivr.server.logging.LogText.escape(cut(e.getValue())) + "' " + x.getMessage()
                        + schema.get(name).map(d -> " (declared " + d.type().word() + ")").orElse(""));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidAttributes(problems);
        }
        return out;
    }

    private static String cut(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}
