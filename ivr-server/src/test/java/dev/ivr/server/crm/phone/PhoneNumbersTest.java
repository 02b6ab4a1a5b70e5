package dev.ivr.server.crm.phone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumbersTest {
    final PhoneNumbers hu = new PhoneNumbers("HU");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "06 1 234 5678        | +3612345678",    // national prefix 06
            "+36 1 234 5678       | +3612345678",    // international
            "3612345678           | +3612345678",    // what Asterisk sends: country code, no +
            "0036 1 234 5678      | +3612345678",    // international prefix 00
            "(06-1) 234-5678      | +3612345678",
            "+36-1-234-5678       | +3612345678",
            "1 234 5678           | +3612345678",    // national number without prefix
            "06 30 123 4567       | +36301234567",   // mobile
            "36301234567          | +36301234567",
            "+44 20 7946 0958     | +442079460958",  // another country keeps its code
            "0044 20 7946 0958    | +442079460958",
            "tel:+36-1-234-5678   | +3612345678",
            "sip:+3612345678@pbx.example.com | +3612345678",
            "\"Anna Kovacs\" <3612345678> | +3612345678",
    })
    void numbersInEveryFormatBecomeOneE164Form(String raw, String e164) {
        assertThat(hu.parse(raw)).isEqualTo(new PhoneNumbers.Number(e164));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"unknown", "anonymous", "Anonymous", "ANONYMOUS", "restricted", "private", "withheld",
            "unavailable", "  ", "\"anonymous\"", "sip:anonymous@anonymous.invalid", "<unknown>"})
    void withheldValuesAreWithheld(String raw) {
        assertThat(hu.parse(raw)).isInstanceOf(PhoneNumbers.Withheld.class);
        assertThat(hu.e164(raw)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "12", "alice", "+", "1234567890123456789", "06 1 234 5678 9999 1"})
    void whatIsNotAPhoneNumberIsInvalid(String raw) {
        assertThat(hu.parse(raw)).isInstanceOf(PhoneNumbers.Invalid.class);
    }

    @Test
    void theDefaultCountryDecidesHowNationalNumbersRead() {
        PhoneNumbers us = new PhoneNumbers("us");
        assertThat(us.e164("(202) 555-0143")).hasValue("+12025550143");
        assertThat(us.e164("1 202 555 0143")).hasValue("+12025550143");
        assertThat(new PhoneNumbers("DE").e164("030 1234567")).hasValue("+49301234567");
        assertThatThrownBy(() -> new PhoneNumbers("XX")).hasMessageContaining("unknown country 'XX'");
    }
}
