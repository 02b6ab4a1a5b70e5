package dev.ivr.server.crm;

import java.util.List;

/** Who the caller's number belongs to. */
public record Identification(Status status, List<Customer> customers) {
    public enum Status {
        /** exactly one customer has this number */
        IDENTIFIED,
        /** several customers share it: the flow can ask */
        AMBIGUOUS,
        /** nobody has it */
        UNKNOWN,
        /** withheld, anonymous or not a usable number */
        WITHHELD,
        /** the store cannot answer now (database down) */
        UNAVAILABLE
    }

    public Identification {
        customers = customers == null ? List.of() : List.copyOf(customers);
    }

    public static Identification of(Status status) {
        return new Identification(status, List.of());
    }
}
