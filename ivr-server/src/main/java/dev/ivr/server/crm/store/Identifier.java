package dev.ivr.server.crm.store;

import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.phone.PhoneNumbers;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Identification by the caller's number: parsed to E.164, looked up in {@code phone_numbers}; withheld, unknown, one or several. */
final class Identifier {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrmStore.class);

    private final DatabaseGuard db;
    private final PhoneNumbers phones;

    Identifier(DatabaseGuard db, PhoneNumbers phones) {
        this.db = db;
        this.phones = phones;
    }

    Identification identify(String ani) {
        if (!(phones.parse(ani) instanceof PhoneNumbers.Number number)) {
            LOG.info("identify: WITHHELD (no usable caller number)");
            return Identification.of(Identification.Status.WITHHELD);
        }
        try {
            List<Customer> found = db.call(c -> CustomerRows.customersByPhone(c, number.e164()));
            Identification.Status status = switch (found.size()) {
                case 0 -> Identification.Status.UNKNOWN;
                case 1 -> Identification.Status.IDENTIFIED;
                default -> Identification.Status.AMBIGUOUS;
            };
            LOG.info("identify: {}{}", status, found.isEmpty() ? ""
                    : " customer(s) " + found.stream().map(Customer::id).collect(Collectors.joining(",")));
            return new Identification(status, found);
        } catch (DatabaseGuard.Unavailable e) {
            LOG.warn("identify: UNAVAILABLE ({})", e.getMessage());
            return Identification.of(Identification.Status.UNAVAILABLE);
        }
    }
}
