package dev.ivr.server.crm.segment;

import dev.ivr.server.crm.attributes.AttributeSchemaTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentCompilerTest {
    static final LocalDate TODAY = LocalDate.parse("2027-03-01");

    private static SegmentQuery compile(String e) throws SegmentException {
        return SegmentCompiler.compile(e, AttributeSchemaTest.SCHEMA, TODAY);
    }

    @Test
    void theIssuesExampleBecomesIndexedSubqueriesWithTodayResolved() throws Exception {
        SegmentQuery q = compile("attr.contract_end >= today() + duration(\"25d\") && attr.contract_end <= today() + duration(\"30d\")"
                + " && !attr.do_not_call");
        // both bounds of contract_end in one sub-query: the index reads the range once
        assertThat(q.where()).isEqualTo("(c.id in (select a.customer_id from customer_attributes a where a.attr_name = ?"
                + " and a.attr_value >= ? and a.attr_value <= ?) and not exists (select 1 from customer_attributes a"
                + " where a.customer_id = c.id and a.attr_name = ? and a.attr_value = ?))");
        assertThat(q.parameters()).containsExactly("contract_end", "2027-03-26", "2027-03-31", "do_not_call", "true");
    }

    @Test
    void boundsOnOneAttributeShareASubqueryOnlyUnderAnd() throws Exception {
        SegmentQuery q = compile("attr.balance > 10 && customer.tier == \"gold\" && 100 >= attr.balance");
        assertThat(q.where()).isEqualTo("(c.id in (select a.customer_id from customer_attributes a where a.attr_name = ?"
                + " and a.attr_number > ? and a.attr_number <= ?) and c.tier = ?)");
        assertThat(q.parameters()).containsExactly("balance", new BigDecimal("10"), new BigDecimal("100"), "gold");
        assertThat(compile("attr.balance > 10 || attr.balance < 0").where()).as("or: one sub-query each")
                .containsOnlyOnce(" or ").contains("a.attr_number > ?").contains("a.attr_number < ?");
        assertThat(compile("attr.balance > 10 && attr.contract_end < date(\"2027-12-31\")").parameters()).as("one bound each")
                .containsExactly("balance", new BigDecimal("10"), "contract_end", "2027-12-31");
    }

    @Test
    void numbersCompareAsNumbersEnumsAndFieldsAsTextValuesSwappedAndListed() throws Exception {
        SegmentQuery q = compile("100 < attr.balance && customer.attributes.plan in [\"Premium\", \"basic\"] || customer.tier == \"gold\"");
        assertThat(q.where()).contains("a.attr_number > ?").contains("c.tier = ?");
        assertThat(q.parameters()).containsExactly("balance", new BigDecimal("100"), "plan", "premium", "plan", "basic", "gold");
        assertThat(compile("has(attr.note) && attr.contract_end < date(\"2027-12-31\") - duration(\"1d\")").parameters())
                .containsExactly("note", "contract_end", "2027-12-30");
        assertThat(compile("attr.balance >= -5.5").parameters()).containsExactly("balance", new BigDecimal("-5.5"));
    }

    @Test
    void negationsAreNotExistsCorrelatedOnTheCustomerCarriedThroughOrAndAndIn() throws Exception {
        String notExists = "not exists (select 1 from customer_attributes a where a.customer_id = c.id and a.attr_name = ?";
        assertThat(compile("!has(attr.note)").where()).isEqualTo(notExists + ")");
        assertThat(compile("!(attr.balance < 0)").where()).isEqualTo(notExists + " and a.attr_number < ?)");
        assertThat(compile("!(attr.balance >= 0 && attr.balance < 10)").where()).as("one range: one sub-query")
                .isEqualTo(notExists + " and a.attr_number >= ? and a.attr_number < ?)");
        SegmentQuery or = compile("!(attr.do_not_call || customer.tier == \"gold\")");
        assertThat(or.where()).isEqualTo("(" + notExists + " and a.attr_value = ?) and not c.tier = ?)");
        assertThat(or.parameters()).containsExactly("do_not_call", "true", "gold");
        SegmentQuery and = compile("!(attr.plan == \"basic\" && attr.balance > 50)");
        assertThat(and.where()).isEqualTo("(" + notExists + " and a.attr_value = ?) or " + notExists + " and a.attr_number > ?))");
        assertThat(and.parameters()).containsExactly("plan", "basic", "balance", new BigDecimal("50"));
        assertThat(compile("!(attr.plan in [\"basic\", \"premium\"])").where())
                .isEqualTo("(" + notExists + " and a.attr_value = ?) and " + notExists + " and a.attr_value = ?))");
        assertThat(compile("!(!attr.do_not_call)").where()).startsWith("c.id in (select a.customer_id");
        assertThat(compile("!(customer.tier == \"gold\")").where()).isEqualTo("not c.tier = ?");
        assertThat(compile("!attr.do_not_call && attr.balance > 1").where()).doesNotContain("not c.id in");
    }

    @Test
    void mistakesSayLineColumnAndWhatToWrite() {
        assertThatThrownBy(() -> compile("attr.contrct_end >= today()"))
                .hasMessage("1:5: no attribute 'contrct_end' is declared in crm.attributes; did you mean 'contract_end'?"
                        + " (declared: balance, contract_end, do_not_call, note, plan); segments compare attributes by their declared type");
        assertThatThrownBy(() -> compile("attr.balance > 10 &&\n  attr.plan == \"premum\""))
                .hasMessage("2:16: attr.plan: \"premum\" is not one of basic, premium; did you mean 'premium'?");
        assertThatThrownBy(() -> compile("attr.contract_end > \"2027-01-01\""))
                .hasMessageContaining("1:21: write a date as date(\"2027-01-01\") or today() + duration(\"30d\")");
        assertThatThrownBy(() -> compile("attr.contract_end > today() + duration(\"3w\")"))
                .hasMessageContaining("is not a number of days such as \"30d\"");
        assertThatThrownBy(() -> compile("attr.balance > \"lots\"")).hasMessageContaining("attr.balance is a number");
        assertThatThrownBy(() -> compile("attr.balance")).hasMessageContaining("attr.balance is number, not true/false");
        assertThatThrownBy(() -> compile("customer.tierr == \"gold\"")).hasMessageContaining("did you mean 'tier'?");
        assertThatThrownBy(() -> compile("attr.balance > ")).isInstanceOf(SegmentException.class).hasMessageStartingWith("1:");
        assertThatThrownBy(() -> compile("size(attr.note) > 3")).hasMessageContaining("one side of a comparison must be");
        assertThatThrownBy(() -> compile(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> compile("attr.plan > \"basic\"")).hasMessageContaining("has no order");
    }
}
