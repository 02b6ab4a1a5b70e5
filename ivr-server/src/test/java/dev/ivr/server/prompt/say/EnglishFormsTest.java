package dev.ivr.server.prompt.say;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnglishFormsTest {
    final SpokenForms en = SpokenForms.forLanguage("en-US").orElseThrow();

    private String words(List<String> ids) {
        return ids.stream().map(id -> en.segmentTexts().get(id)).collect(Collectors.joining(" "));
    }

    @Test
    void numbers() {
        assertThat(words(en.number(0))).isEqualTo("zero");
        assertThat(words(en.number(7))).isEqualTo("seven");
        assertThat(words(en.number(15))).isEqualTo("fifteen");
        assertThat(words(en.number(40))).isEqualTo("forty");
        assertThat(words(en.number(321))).isEqualTo("three hundred twenty one");
        assertThat(words(en.number(1005))).isEqualTo("one thousand five");
        assertThat(words(en.number(2_300_017))).isEqualTo("two million three hundred thousand seventeen");
        assertThat(words(en.number(-12))).isEqualTo("minus twelve");
        assertThat(words(en.number(999_999_999_999_999L))).startsWith("nine hundred ninety nine trillion");
    }

    @Test
    void amounts() {
        assertThat(words(en.amount(new BigDecimal("12.50"), "USD"))).isEqualTo("twelve dollars and fifty cents");
        assertThat(words(en.amount(new BigDecimal("1.01"), "usd"))).isEqualTo("one dollar and one cent");
        assertThat(words(en.amount(new BigDecimal("0.99"), "EUR"))).isEqualTo("ninety nine cents");
        assertThat(words(en.amount(BigDecimal.ZERO, "GBP"))).isEqualTo("zero pounds");
        assertThat(words(en.amount(new BigDecimal("-3.005"), "GBP"))).isEqualTo("minus three pounds");
        assertThat(words(en.amount(new BigDecimal("12990.6"), "HUF"))).isEqualTo("twelve thousand nine hundred ninety one forints");
        assertThatThrownBy(() -> en.amount(BigDecimal.ONE, "XYZ")).hasMessageContaining("XYZ");
    }

    @Test
    void datesAndTimes() {
        assertThat(words(en.date(LocalDate.of(2025, 3, 4)))).isEqualTo("Tuesday March fourth twenty twenty five");
        assertThat(words(en.date(LocalDate.of(2007, 12, 31)))).isEqualTo("Monday December thirty first two thousand seven");
        assertThat(words(en.date(LocalDate.of(1999, 1, 22)))).isEqualTo("Friday January twenty second nineteen ninety nine");
        assertThat(words(en.date(LocalDate.of(1905, 6, 30)))).isEqualTo("Friday June thirtieth nineteen oh five");
        assertThat(words(en.date(LocalDate.of(2100, 2, 1)))).isEqualTo("Monday February first twenty one hundred");
        assertThat(words(en.time(LocalTime.of(9, 5)))).isEqualTo("nine oh five a m");
        assertThat(words(en.time(LocalTime.of(15, 0)))).isEqualTo("three o'clock p m");
        assertThat(words(en.time(LocalTime.of(23, 45)))).isEqualTo("eleven forty five p m");
        assertThat(words(en.time(LocalTime.NOON))).isEqualTo("twelve noon");
        assertThat(words(en.time(LocalTime.MIDNIGHT))).isEqualTo("midnight");
        assertThat(words(en.time(LocalTime.of(0, 30)))).isEqualTo("twelve thirty a m");
    }

    @Test
    void digitsAndEverySegmentHasAText() {
        assertThat(words(en.digits("4096"))).isEqualTo("four zero nine six");
        assertThatThrownBy(() -> en.digits("12a")).hasMessageContaining("only digits");
        assertThat(en.segmentTexts().values()).allSatisfy(t -> assertThat(t).isNotBlank());
        assertThat(SpokenForms.forLanguage("hu")).isEmpty();
    }
}
