package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.crm.Customer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code customer.name} follows the call's language (CLDR's person-name order), and is not formatted again in the
 * language it is in already ({@link Caller#nameIn}).
 */
class CallerNameTest {
    static final Customer ANNA = new Customer("C-1", "Anna", "Kovács", "hu", "gold", Map.of());

    @Test
    void theNameFollowsTheLanguageBackAndForth() {
        Caller c = new Caller();
        c.identified(ANNA);
        assertThat(c.customer.get("name")).isEqualTo("Kovács Anna"); // in her own language first
        c.nameIn("en");
        assertThat(c.customer.get("name")).isEqualTo("Anna Kovács");
        c.nameIn("en");
        assertThat(c.customer.get("name")).isEqualTo("Anna Kovács");
        c.nameIn("hu");
        assertThat(c.customer.get("name")).isEqualTo("Kovács Anna");
    }

    @Test
    void theSameLanguageAgainAsksTheFormatterNoMore() {
        Caller c = new Caller();
        c.identified(ANNA);
        c.customer.put("name", "as it was"); // what a second formatting would overwrite
        c.nameIn("hu");
        assertThat(c.customer).containsEntry("name", "as it was");
    }

    @Test
    void anUnknownCallerHasNoName() {
        Caller c = new Caller();
        c.nameIn("en");
        assertThat(c.customer.get("name")).isEqualTo("");
    }
}
