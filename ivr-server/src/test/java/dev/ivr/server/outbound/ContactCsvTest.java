package dev.ivr.server.outbound;

import dev.ivr.server.crm.phone.PhoneNumbers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContactCsvTest {
    private static final PhoneNumbers HU = new PhoneNumbers("HU");

    @Test
    void numbersInAnyFormatBecomeE164AndRepeatedRowsCountOnce() {
        ContactCsv.Parsed p = ContactCsv.parse("""
                Name,Customer_ID,Phone
                Anna,C1,+36 1 555 0001
                # a comment

                Bela,C2,06 1 555 0002
                Cili,,(+36) 1-555-0003
                Anna again,C1,
                Dora,,0036 1 555 0003
                """, HU);
        assertThat(p.problems()).isEmpty();
        assertThat(p.rows()).containsExactly(new ContactCsv.Row(2, "C1", "+3615550001"), new ContactCsv.Row(5, "C2", "+3615550002"),
                new ContactCsv.Row(6, null, "+3615550003"));
        assertThat(p.duplicates()).isEqualTo(2);
    }

    @Test
    void everyBadRowIsNamedWithItsLine() {
        ContactCsv.Parsed p = ContactCsv.parse("customer,phone\nC1,call me\n,\nC3,+36 1 555 0003\n" + "X".repeat(65) + ",\n", HU);
        assertThat(p.problems()).containsExactly("line 2: phone: 'call me' is not a phone number (no digits)",
                "line 3: neither a customer id nor a phone number",
                "line 5: customer: '" + "X".repeat(40) + "...' is not a customer id (at most 64 characters)");
        assertThat(p.rows()).extracting(ContactCsv.Row::customerId).containsExactly("C3");
    }

    @Test
    void aHeaderWithoutACustomerOrPhoneColumnIsRefused() {
        assertThat(ContactCsv.parse("name,email\nAnna,a@example.com\n", HU).problems()).singleElement().asString()
                .startsWith("line 1: the header names no customer column (customer, customer_id, id) and no phone column");
        assertThat(ContactCsv.parse("", HU).problems()).singleElement().asString().startsWith("line 1: the list is empty");
        assertThat(ContactCsv.parse("phone\n", HU).rows()).isEmpty();
        assertThat(ContactCsv.parse("\uFEFFid\nC1\n", HU).rows()).containsExactly(new ContactCsv.Row(2, "C1", null));
    }

    @Test
    void aBrokenQuoteIsAProblemNotACrash() {
        assertThat(ContactCsv.parse("customer,phone\nC1,\"+36 1 555 0001\n", HU).problems()).isNotEmpty();
    }
}
