package dev.ivr.server.flow.engine;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which prompt texts are rendered ahead for the CRM's most frequent values, and by which columns. */
class CustomerColumnsTest {
    @Test
    void aGreetingByFirstNameIsRenderedForTheMostFrequentFirstNames() {
        assertThat(FlowEngine.customerColumns("Hello ${customer.first_name}, welcome back.", false))
                .contains(Set.of("first_name"));
        assertThat(FlowEngine.customerColumns("Dear ${customer.tier} customer ${ customer.first_name }!", false))
                .contains(Set.of("first_name", "tier"));
    }

    @Test
    void inAFlowOfSeveralLanguagesTheCustomersLanguageCountsToo() {
        // the customer's language picks the prompt's: Anna in English and Anna in Hungarian are two variants
        assertThat(FlowEngine.customerColumns("Hello ${customer.first_name}", true)).contains(Set.of("first_name", "language"));
    }

    @Test
    void textsWhoseVariantsCannotBeKnownAheadAreLeftToTheCalls() {
        assertThat(FlowEngine.customerColumns("Welcome to Example Corp, valued customer.", false)).isEmpty();
        // the last name (alone or in the full name) is nearly every customer's own
        assertThat(FlowEngine.customerColumns("Jó napot, ${customer.name}!", true)).isEmpty();
        assertThat(FlowEngine.customerColumns("Dear ${customer.first_name} ${customer.last_name}", false)).isEmpty();
        // the id, attributes, other maps, the customer map as a whole
        assertThat(FlowEngine.customerColumns("Customer ${customer.id}", false)).isEmpty();
        assertThat(FlowEngine.customerColumns("Your segment: ${customer.attributes.segment}", false)).isEmpty();
        assertThat(FlowEngine.customerColumns("Hello ${customer.first_name}, you pressed ${inputs.menu}", false)).isEmpty();
        assertThat(FlowEngine.customerColumns("Hello ${customer[\"first_name\"]}", false)).isEmpty();
        // a literal word outside an expression is only text
        assertThat(FlowEngine.customerColumns("Hello ${customer.first_name}, dear customer", false))
                .isEqualTo(Optional.of(Set.of("first_name")));
    }
}
