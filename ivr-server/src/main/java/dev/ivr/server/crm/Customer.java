package dev.ivr.server.crm;

import java.util.Map;

/**
 * A customer as flows and agents see them.
 *
 * @param attributes any key-value set the business keeps (segment, balance band, open ticket ...)
 */
public record Customer(String id, String firstName, String lastName, String language, String tier,
                       Map<String, String> attributes) {
    public Customer {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public String name() {
        return (firstName == null ? "" : firstName) + (lastName == null || lastName.isEmpty() ? "" : " " + lastName);
    }
}
