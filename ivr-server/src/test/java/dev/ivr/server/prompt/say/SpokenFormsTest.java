package dev.ivr.server.prompt.say;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each language says for numbers, amounts, dates, ordinals, times and names, against the expected text. */
class SpokenFormsTest {
    static final long[] NUMBERS = {0, 1, 21, 101, 1_000, 12_345, 1_000_000};
    static final LocalDate DEC_2 = LocalDate.of(2025, 12, 2);

    static SpokenForms forms(String lang) {
        return SpokenForms.forLanguage(lang).orElseThrow();
    }

    static List<String> cardinals(String lang) {
        SpokenForms f = forms(lang);
        return java.util.Arrays.stream(NUMBERS).mapToObj(f::cardinal).toList();
    }

    /** The segments' texts joined say the number, and joined without separators they are its words. */
    static void segmentsSayTheNumber(String lang, long n) {
        SpokenForms f = forms(lang);
        String joined = f.number(n).stream().map(f::segmentText).collect(Collectors.joining(" "));
        assertThat(joined.replace(" ", "").replace("-", ""))
                .as("%s %d: %s", lang, n, f.number(n))
                .isEqualTo(f.cardinal(n).replace(" ", "").replace("-", ""));
    }

    @Test
    void english() {
        assertThat(cardinals("en")).containsExactly("zero", "one", "twenty-one", "one hundred one", "one thousand",
                "twelve thousand three hundred forty-five", "one million");
        SpokenForms f = forms("en");
        assertThat(f.ordinal(1)).isEqualTo("first");
        assertThat(f.ordinal(21)).isEqualTo("twenty-first");
        assertThat(f.ordinal(101)).isEqualTo("one hundred first");
        Map<String, String> cents = Map.of("currency.EUR.minor.one", "cent", "currency.EUR.minor.other", "cents");
        assertThat(f.amount(new BigDecimal("12.50"), "EUR", cents))
                .isEqualTo(new Spoken.Text("twelve euros and fifty cents", "12.50 euros"));
        assertThat(f.amount(new BigDecimal("1"), "EUR", Map.of()).spoken()).isEqualTo("one euro");
        assertThat(f.amount(new BigDecimal("12345"), "HUF", Map.of()))
                .isEqualTo(new Spoken.Text("twelve thousand three hundred forty-five Hungarian forints", "12,345 Hungarian forints"));
        assertThat(f.amount(new BigDecimal("-3.00"), "USD", Map.of()).spoken()).isEqualTo("minus three US dollars");
        assertThat(f.date(DEC_2)).isEqualTo(new Spoken.Text("Tuesday, December second, twenty twenty-five",
                "Tuesday, December 2, 2025"));
        assertThat(f.dayAndMonth(DEC_2)).isEqualTo(new Spoken.Text("December second", "December 2"));
        assertThat(f.time(LocalTime.of(9, 5), null)).isEqualTo(new Spoken.Text("nine oh five a m", "9:05 AM"));
        assertThat(f.time(LocalTime.of(14, 30), null).spoken()).isEqualTo("two thirty p m");
        assertThat(f.personName("Emma", "Smith", "en")).isEqualTo("Emma Smith");
        assertThat(f.personName("Anna", "Kovács", "hu")).isEqualTo("Anna Kovács");
    }

    @Test
    void hungarian() {
        assertThat(cardinals("hu")).containsExactly("nulla", "egy", "huszonegy", "százegy", "ezer",
                "tizenkétezer-háromszáznegyvenöt", "egymillió");
        SpokenForms f = forms("hu");
        assertThat(f.cardinal(2000)).isEqualTo("kétezer");
        assertThat(f.cardinal(1999)).isEqualTo("ezerkilencszázkilencvenkilenc");
        assertThat(f.cardinal(2_200_000)).isEqualTo("kétmillió-kétszázezer");
        assertThat(f.writtenNumber(12_345)).isEqualTo("12 345");
        assertThat(f.ordinal(1)).isEqualTo("első");
        assertThat(f.ordinal(2)).isEqualTo("második");
        assertThat(f.ordinal(21)).isEqualTo("huszonegyedik");
        assertThat(f.ordinal(101)).isEqualTo("százegyedik");
        Map<String, String> forint = Map.of("currency.HUF", "forint");
        assertThat(f.amount(new BigDecimal("12345"), "HUF", forint))
                .isEqualTo(new Spoken.Text("tizenkétezer-háromszáznegyvenöt forint", "12 345 forint"));
        assertThat(f.amount(new BigDecimal("12345.40"), "HUF", forint).spoken())
                .as("the forint has no coins below one: rounded").isEqualTo("tizenkétezer-háromszáznegyvenöt forint");
        assertThat(f.amount(new BigDecimal("1"), "HUF", Map.of()).spoken()).isEqualTo("egy magyar forint");
        assertThat(f.amount(new BigDecimal("21"), "EUR", Map.of("currency.EUR.minor", "cent")).spoken())
                .isEqualTo("huszonegy euró");
        assertThat(f.amount(new BigDecimal("21.05"), "EUR", Map.of("currency.EUR.minor", "cent")).spoken())
                .isEqualTo("huszonegy euró és öt cent");
        assertThat(f.dayAndMonth(DEC_2)).isEqualTo(new Spoken.Text("december másodika", "december 2."));
        assertThat(f.dayAndMonth(LocalDate.of(2025, 3, 1)).spoken()).isEqualTo("március elseje");
        assertThat(f.dayAndMonth(LocalDate.of(2025, 3, 4)).spoken()).isEqualTo("március negyedike");
        assertThat(f.dayAndMonth(LocalDate.of(2025, 3, 21)).spoken()).isEqualTo("március huszonegyedike");
        assertThat(f.dayAndMonth(LocalDate.of(2025, 3, 30)).spoken()).isEqualTo("március harmincadika");
        assertThat(f.date(DEC_2)).isEqualTo(new Spoken.Text("kétezer-huszonöt december másodika, kedd",
                "2025. december 2., kedd"));
        String pattern = "{m, plural, =0 {{hour} óra} other {{hour} óra {minute} perc}}";
        assertThat(f.time(LocalTime.of(9, 5), pattern)).isEqualTo(new Spoken.Text("kilenc óra öt perc", "9:05"));
        assertThat(f.time(LocalTime.of(14, 0), pattern).spoken()).isEqualTo("tizennégy óra");
        assertThat(f.personName("Anna", "Kovács", "hu")).isEqualTo("Kovács Anna");
        assertThat(f.personName("Emma", "Smith", "en")).isEqualTo("Emma Smith");
    }

    @Test
    void hungarianDayFormsFollowVowelHarmony() {
        Map<Integer, String> expected = Map.of(1, "elseje", 2, "másodika", 3, "harmadika", 5, "ötödike", 6, "hatodika",
                10, "tizedike", 20, "huszadika", 22, "huszonkettedike", 11, "tizenegyedike", 31, "harmincegyedike");
        SpokenForms f = forms("hu");
        expected.forEach((d, w) -> assertThat(IcuForms.hungarianDay(f.ordinal(d))).as("day %d", d).isEqualTo(w));
    }

    @Test
    void german() {
        assertThat(cardinals("de")).containsExactly("null", "eins", "einundzwanzig", "einhunderteins", "eintausend",
                "zwölftausenddreihundertfünfundvierzig", "eine Million");
        SpokenForms f = forms("de");
        assertThat(f.writtenNumber(12_345)).isEqualTo("12.345");
        assertThat(f.ordinal(1)).isEqualTo("erste");
        assertThat(f.ordinal(21)).isEqualTo("einundzwanzigste");
        assertThat(f.amount(new BigDecimal("1"), "EUR", Map.of()).spoken()).isEqualTo("ein Euro");
        assertThat(f.amount(new BigDecimal("12345"), "EUR", Map.of()))
                .isEqualTo(new Spoken.Text("zwölftausenddreihundertfünfundvierzig Euro", "12.345 Euro"));
        assertThat(f.amount(new BigDecimal("2.50"), "EUR", Map.of("currency.EUR.minor", "Cent")).spoken())
                .isEqualTo("zwei Euro und fünfzig Cent");
        assertThat(f.dayAndMonth(DEC_2)).isEqualTo(new Spoken.Text("zweiter Dezember", "2. Dezember"));
        assertThat(f.date(DEC_2).spoken()).isEqualTo("Dienstag, zweiter Dezember zweitausendfünfundzwanzig");
        String pattern = "{m, plural, =0 {{h, plural, =1 {ein Uhr} other {{hour} Uhr}}} other {{h, plural, =1 {ein Uhr} other {{hour} Uhr}} {minute}}}";
        assertThat(f.time(LocalTime.of(9, 5), pattern).spoken()).isEqualTo("neun Uhr fünf");
        assertThat(f.time(LocalTime.of(1, 0), pattern).spoken()).isEqualTo("ein Uhr");
        assertThat(f.personName("Lukas", "Müller", "de")).isEqualTo("Lukas Müller");
    }

    @Test
    void italian() {
        assertThat(cardinals("it")).containsExactly("zero", "uno", "ventuno", "centouno", "mille",
                "dodicimilatrecentoquarantacinque", "un milione");
        SpokenForms f = forms("it");
        assertThat(f.ordinal(1)).isEqualTo("primo");
        assertThat(f.ordinal(21)).isEqualTo("ventunesimo");
        assertThat(f.amount(new BigDecimal("1"), "EUR", Map.of()).spoken()).isEqualTo("un euro");
        assertThat(f.amount(new BigDecimal("12345"), "EUR", Map.of()))
                .isEqualTo(new Spoken.Text("dodicimilatrecentoquarantacinque euro", "12.345 euro"));
        assertThat(f.dayAndMonth(DEC_2)).isEqualTo(new Spoken.Text("due dicembre", "2 dicembre"));
        assertThat(f.dayAndMonth(LocalDate.of(2025, 12, 1)).spoken()).isEqualTo("primo dicembre");
        assertThat(f.date(DEC_2).spoken()).isEqualTo("martedì due dicembre duemilaventicinque");
        assertThat(f.personName("Maria", "Rossi", "it")).isEqualTo("Maria Rossi");
    }

    @Test
    void spanish() {
        assertThat(cardinals("es")).containsExactly("cero", "uno", "veintiuno", "ciento uno", "mil",
                "doce mil trescientos cuarenta y cinco", "un millón");
        SpokenForms f = forms("es");
        assertThat(f.ordinal(1)).isEqualTo("primero");
        assertThat(f.ordinal(21)).isEqualTo("vigésimo primero");
        assertThat(f.amount(new BigDecimal("1"), "EUR", Map.of()).spoken()).isEqualTo("un euro");
        assertThat(f.amount(new BigDecimal("21"), "EUR", Map.of()).spoken()).isEqualTo("veintiún euros");
        assertThat(f.amount(new BigDecimal("12345"), "EUR", Map.of()))
                .isEqualTo(new Spoken.Text("doce mil trescientos cuarenta y cinco euros", "12.345 euros"));
        assertThat(f.dayAndMonth(DEC_2)).isEqualTo(new Spoken.Text("dos de diciembre", "2 de diciembre"));
        assertThat(f.date(DEC_2).spoken()).isEqualTo("martes, dos de diciembre de dos mil veinticinco");
    }

    /** The words of a counted number's segments, joined. */
    static String counted(String lang, long n, String gender) {
        SpokenForms f = forms(lang);
        return f.count(n, gender).stream().map(f::segmentText).collect(Collectors.joining(" "));
    }

    @Test
    void aNumberBeforeTheNounItCountsAgreesWithItsGender() {
        // the queue's "eins Minute" / "uno minuto" / "veintiuno minutos": the noun's gender picks CLDR's cardinal rules
        assertThat(forms("de").count(1, "feminine")).containsExactly("n.f.1");
        assertThat(counted("de", 1, "feminine")).isEqualTo("eine");
        assertThat(counted("de", 1, "masculine")).isEqualTo("ein");
        assertThat(forms("de").count(2, "feminine")).as("zwei is zwei: the plain segment").containsExactly("n.2");
        assertThat(counted("de", 21, "feminine")).isEqualTo("einundzwanzig");
        assertThat(counted("it", 1, "masculine")).isEqualTo("un");
        assertThat(counted("it", 21, "masculine")).isEqualTo("ventun");
        assertThat(counted("it", 1, "feminine")).isEqualTo("una");
        assertThat(counted("es", 1, "masculine")).isEqualTo("un");
        assertThat(counted("es", 21, "masculine")).isEqualTo("veintiún");
        assertThat(counted("es", 31, "masculine")).isEqualTo("treinta y un");
        assertThat(counted("es", 21, "feminine")).isEqualTo("veintiuna");
        assertThat(counted("es", 200, "feminine")).isEqualTo("doscientas");
        assertThat(forms("es").count(1_021, "masculine")).containsExactly("n.1000", "n.m.21");
        // languages whose numbers do not agree, or a gender they lack: the plain number
        assertThat(forms("en").count(1, "feminine")).containsExactly("n.1");
        assertThat(forms("hu").count(1, "masculine")).containsExactly("n.1");
        assertThat(forms("it").count(1, "neuter")).containsExactly("n.1");
        assertThat(forms("de").count(1, null)).containsExactly("n.1");
        assertThatThrownBy(() -> forms("de").count(1, "weiblich")).isInstanceOf(IllegalArgumentException.class);
        // the counting forms that differ are rendered ahead of time too
        assertThat(forms("de").prerenderSegments()).contains("n.f.1", "n.m.1", "n.n.1").doesNotContain("n.f.2");
        assertThat(forms("es").prerenderSegments()).contains("n.m.21", "n.f.21", "n.f.200");
        assertThat(forms("hu").segmentText("n.f.1")).isNull();
        for (String lang : List.of("de", "it", "es")) {
            for (long n = 0; n <= 2_500; n++) {
                SpokenForms f = forms(lang);
                String joined = f.count(n, "feminine").stream().map(f::segmentText).collect(Collectors.joining(""));
                assertThat(joined.replace(" ", "").replace("-", "").replace("\u00AD", ""))
                        .as("%s %d", lang, n).isEqualTo(((IcuForms) f).countWords(n, "feminine").replace(" ", "").replace("-", ""));
            }
        }
    }

    @Test
    void roundMillionsTakeTheLanguagesOfBeforeWhatTheyCount() {
        assertThat(forms("es").amount(new BigDecimal("1000000"), "EUR", Map.of()).spoken()).isEqualTo("un millón de euros");
        assertThat(forms("es").amount(new BigDecimal("2000000"), "EUR", Map.of()).spoken()).isEqualTo("dos millones de euros");
        assertThat(forms("es").amount(new BigDecimal("1200000"), "EUR", Map.of()).spoken())
                .isEqualTo("un millón doscientos mil euros");
        assertThat(forms("es").amount(new BigDecimal("1000000.50"), "EUR", Map.of("currency.EUR.minor.other", "céntimos"))
                .spoken()).isEqualTo("un millón de euros y cincuenta céntimos");
        assertThat(forms("it").amount(new BigDecimal("1000000"), "EUR", Map.of()).spoken()).isEqualTo("un milione di euro");
        assertThat(forms("fr").amount(new BigDecimal("3000000"), "EUR", Map.of()).spoken()).isEqualTo("trois millions d’euros"
                .replace("’", "'"));
        assertThat(forms("pt").amount(new BigDecimal("1000000"), "EUR", Map.of()).spoken()).isEqualTo("um milhão de Euros"); // CLDR capitalises the unit in Portuguese
        assertThat(forms("de").amount(new BigDecimal("1000000"), "EUR", Map.of()).spoken()).isEqualTo("eine Million Euro");
        assertThat(forms("en").amount(new BigDecimal("1000000"), "EUR", Map.of()).spoken()).isEqualTo("one million euros");
    }

    @Test
    void numbersSplitIntoSegmentsExactlyWhereTheirWordsSplit() {
        for (String lang : List.of("en", "hu", "de", "it", "es")) {
            for (long n = 0; n <= 2_500; n++) {
                segmentsSayTheNumber(lang, n);
            }
            for (long n : NUMBERS) {
                segmentsSayTheNumber(lang, n);
            }
            segmentsSayTheNumber(lang, 987_654_321);
        }
        assertThat(forms("en").number(12_345)).containsExactly("n.12000", "n.300", "n.45");
        assertThat(forms("hu").number(345)).containsExactly("n.300", "n.45");
        assertThat(forms("es").number(101)).as("cien alone, ciento in 101").containsExactly("n.101");
        assertThat(forms("en").digits("105")).containsExactly("n.1", "n.0", "n.5");
        assertThat(forms("hu").prerenderSegments()).contains("n.0", "n.99", "n.100", "n.900", "n.1000", "n.4000", "n.9000")
                .hasSize(118);
    }

    @Test
    void languagesWithoutRulesAndBadInput() {
        assertThat(SpokenForms.forLanguage("xx")).isEmpty();
        assertThat(SpokenForms.forLanguage(null)).isEmpty();
        assertThat(SpokenForms.forLanguage("en-GB")).isPresent();
        assertThatThrownBy(() -> forms("en").amount(BigDecimal.ONE, "XYZ1", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forms("en").digits("12a")).isInstanceOf(IllegalArgumentException.class);
    }
}
