package dev.ivr.server.crm.csv;

import dev.ivr.server.crm.phone.PhoneNumbers;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerCsvTest {
    final PhoneNumbers numbers = new PhoneNumbers("HU");

    @Test
    void theHeaderNamesKnownColumnsAndAttributesOnly() {
        assertThat(CustomerCsv.checkHeader(List.of("id", "phones", "attr.segment"))).isEmpty();
        assertThat(CustomerCsv.checkHeader(List.of("first_name", "phone", "attr.", "id", "id")))
                .containsExactly("unknown column 'phone' (did you mean 'phones'?); columns are id, first_name, last_name, language, tier, phones,"
                                + " accounts, pins, pin_hashes, statuses and attr.NAME (is the header row missing?)",
                        "column 'attr.': attribute names are 1-100 letters, digits, '_', '.' or '-'",
                        "column 'id' appears twice");
        assertThat(CustomerCsv.checkHeader(List.of("first_name"))).containsExactly("the header has no 'id' column");
    }

    @Test
    void aRowBecomesACustomerWithNormalisedNumbersAndAlignedAccounts() throws IOException {
        List<String> problems = new ArrayList<>();
        CustomerCsv.Row row = parse("""
                id,first_name,language,phones,accounts,pins,statuses,attr.segment,attr.empty
                C1,Anna,hu,06 1 234 5678; +36 1 234 5678 ;06 30 123 4567,100-01;10002,1234;,;Blocked,retail,
                """, problems);
        assertThat(problems).isEmpty();
        assertThat(row.phones()).containsExactly("+3612345678", "+36301234567");
        assertThat(row.accounts()).extracting(CustomerCsv.AccountEntry::number).containsExactly("10001", "10002");
        assertThat(row.accounts().get(0).pin()).isEqualTo("1234");
        assertThat(row.accounts().get(1).pin()).isNull();
        assertThat(row.accounts().get(0).status()).isNull();
        assertThat(row.accounts().get(1).status()).isEqualTo("blocked");
        assertThat(row.attributes()).containsExactly(java.util.Map.entry("segment", "retail"));
        assertThat(row.accounts().get(0).toString()).doesNotContain("1234");
    }

    @Test
    void everyProblemOfARowIsReportedWithoutItsPin() throws IOException {
        List<String> problems = new ArrayList<>();
        CustomerCsv.Row row = parse("""
                id,language,phones,accounts,pins,pin_hashes
                bad id,english,123;anonymous,10001;x!,98765x;,$argon2id$nope;
                """, problems);
        assertThat(row).isNull();
        assertThat(problems).containsExactly(
                "id: 'bad id' is not 1-64 letters, digits, '.', '_' or '-'",
                "language: 'english' is not a language tag such as en, hu or en-GB",
                "phones: entry 1 '123' is not a phone number (not a possible number for its country; default country HU)",
                "phones: entry 2 'anonymous' is not a phone number",
                "pins: entry 1 must be 4 to 16 digits",
                "pin_hashes: entry 1 is not an Argon2id or bcrypt hash",
                "accounts: entry 1: give a PIN or a PIN hash, not both",
                "accounts: entry 2 'x!' is not 1-64 letters and digits");
        assertThat(String.join(" ", problems)).doesNotContain("98765");
    }

    @Test
    void aPinInAShiftedColumnIsNeverQuoted() throws IOException {
        // the statuses and pins columns swapped, as the reporter did
        List<String> problems = new ArrayList<>();
        assertThat(parse("""
                id,accounts,pins,statuses
                C1,10001;10002,active;active,2468;1357
                """, problems)).isNull();
        assertThat(problems).contains("statuses: entry 1 (4 digits, not shown) must be active, blocked or closed");
        // a PIN (or a PIN hash) wherever it lands: id, language, phones, accounts, statuses
        problems.clear();
        assertThat(parse("""
                id,language,phones,accounts,statuses
                2468,1357,9753,13579;13579,"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA;active"
                """, problems)).isNull();
        assertThat(problems).isNotEmpty();
        assertThat(String.join("\n", problems)).doesNotContain("2468").doesNotContain("1357").doesNotContain("9753")
                .doesNotContain("13579").doesNotContain("argon2").contains("not shown");
        // a file without its header row: the first customer is taken for the header
        assertThat(CustomerCsv.checkHeader(List.of("C1", "Anna", "10001", "4321")))
                .allSatisfy(p -> assertThat(p).doesNotContain("4321").doesNotContain("10001"))
                .anySatisfy(p -> assertThat(p).contains("is the header row missing?"));
    }

    @Test
    void exportNeutralisesFormulasAndImportTakesTheApostropheOffAgain() {
        for (String value : List.of("=HYPERLINK(\"http://evil\",\"x\")", "+3612345678", "-2+3", "@SUM(A1)", "\tcmd",
                "\rx", "'=already", "'quoted")) {
            String cell = CustomerCsv.neutralise(value);
            assertThat(cell).as(value).startsWith("'");
            assertThat(CustomerCsv.restore(cell)).isEqualTo(value);
        }
        for (String value : List.of("Anna", "C1001", "10001", "active", "$argon2id$v=19$x", "", "O'Brien")) {
            assertThat(CustomerCsv.neutralise(value)).isEqualTo(value);
            assertThat(CustomerCsv.restore(value)).isEqualTo(value);
        }
    }

    private CustomerCsv.Row parse(String csv, List<String> problems) throws IOException {
        try (CSVParser p = CustomerCsv.FORMAT.parse(new StringReader(csv))) {
            CSVRecord r = p.iterator().next();
            return CustomerCsv.parse(r, 2, p.getHeaderMap(), numbers, problems);
        }
    }
}
