package dev.ivr.server.crm.attributes;

import dev.ivr.server.config.AttributeConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class AttributeSchemaTest {
    public static final AttributeSchema SCHEMA = AttributeSchema.of(List.of(
            new AttributeConfig("contract_end", "date", null, "when the contract ends"),
            new AttributeConfig("balance", "number", null, null),
            new AttributeConfig("do_not_call", "boolean", null, null),
            new AttributeConfig("plan", "enum", List.of("basic", "premium"), null),
            new AttributeConfig("note", "text", null, null)));

    @Test
    void valuesAreCheckedByTypeAndMadeCanonical() throws Exception {
        assertThat(SCHEMA.canonical("contract_end", " 2027-03-31 ")).isEqualTo("2027-03-31");
        assertThat(SCHEMA.canonical("balance", "1200.50")).isEqualTo("1200.5");
        assertThat(SCHEMA.canonical("balance", "-3")).isEqualTo("-3");
        assertThat(SCHEMA.number("balance", "1200.5")).isEqualByComparingTo(new BigDecimal("1200.5"));
        assertThat(SCHEMA.number("note", "x")).isNull();
        assertThat(SCHEMA.canonical("do_not_call", "Yes")).isEqualTo("true");
        assertThat(SCHEMA.canonical("do_not_call", "0")).isEqualTo("false");
        assertThat(SCHEMA.canonical("plan", "PREMIUM")).isEqualTo("premium");
        assertThat(SCHEMA.canonical("undeclared", "anything at all")).isEqualTo("anything at all");
    }

    @Test
    void aValueThatDoesNotFitSaysWhy() {
        assertThatThrownBy(() -> SCHEMA.canonical("contract_end", "31/03/2027")).hasMessageContaining("is not a date (YYYY-MM-DD");
        assertThatThrownBy(() -> SCHEMA.canonical("contract_end", "2027-02-30")).hasMessageContaining("is not a date");
        assertThatThrownBy(() -> SCHEMA.canonical("balance", "12,5")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> SCHEMA.canonical("do_not_call", "maybe")).hasMessageContaining("is not true or false");
        assertThatThrownBy(() -> SCHEMA.canonical("plan", "premum"))
                .hasMessageContaining("is not one of basic, premium").hasMessageContaining("did you mean 'premium'?");
        assertThatThrownBy(() -> SCHEMA.canonical("note", "x".repeat(1001))).hasMessageContaining("longer than 1000");
        assertThatThrownBy(() -> SCHEMA.canonical("free", "x".repeat(1001))).hasMessageContaining("longer than 1000");
    }

    @Test
    void anApiChangeIsCheckedWholeAndNamesEveryBadField() {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("balance", "lots");
        changes.put("plan", "gold");
        changes.put("note", "fine");
        changes.put("contract_end", null);
        assertThatThrownBy(() -> CustomerAttributes.canonical(SCHEMA, changes))
                .isInstanceOfSatisfying(CustomerAttributes.InvalidAttributes.class, e -> assertThat(e.fields())
                        .containsOnlyKeys("attributes.balance", "attributes.plan")
                        .hasEntrySatisfying("attributes.balance", m -> assertThat(m).contains("'lots' is not a number"))
                        .hasEntrySatisfying("attributes.plan", m -> assertThat(m).contains("not one of basic, premium")));
    }

    @Test
    void theConfigurationSaysWhatIsWrongWithADeclaration() {
        var p = new dev.ivr.server.config.Problems();
        var cfg = new dev.ivr.server.config.CrmConfig("HU", null, "", null, null, java.time.Duration.ofSeconds(5), null,
                List.of(new AttributeConfig("plan", "enmu", null, null), new AttributeConfig("plan", "enum", null, null),
                        new AttributeConfig("1bad", "text", List.of("x"), null)));
        cfg.validate(p);
        assertThat(String.join("\n", p.lines())).contains("attributes[0].type: must be one of text, number, date, boolean, enum (got 'enmu'); did you mean 'enum'?")
                .contains("attributes[1].name: 'plan' is declared twice")
                .contains("attributes[1].values: an enum attribute needs its values")
                .contains("attributes[2].name: must be 1-100 letters")
                .contains("attributes[2].values: only enum attributes have values");
    }
}
