package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.Customer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the caller is, as flows see it: {@code customer} (identified or authenticated) and {@code auth} (the last
 * authentication), plus the customer id and authentication outcome that go into the interaction record.
 */
final class Caller {
    Map<String, Object> customer = unknownCustomer();
    Map<String, Object> auth = noAuth();
    String customerId;
    String authOutcome;

    /** The CRM found exactly this customer by number. */
    void identified(Customer c) {
        customer = customerMap(c, 1);
        customerId = c.id();
    }

    /** The CRM found several customers for the number: none is taken, {@code customer.matches} says how many. */
    void ambiguous(int matches) {
        customer.put("matches", (long) matches);
    }

    /** An authentication that did not fail (OK, LOCKED, UNAVAILABLE); an OK one with a customer makes them known. */
    void authenticated(Authentication a, String account) {
        authOutcome = a.status().name();
        auth.put("status", a.status().name());
        auth.put("account", account);
        auth.put("attempts_left", (long) a.attemptsLeft());
        auth.put("ok", a.status() == Authentication.Status.OK);
        if (a.status() == Authentication.Status.OK && a.customer() != null) {
            customer = customerMap(a.customer(), 1);
            customerId = a.customer().id();
        }
    }

    /** A failed attempt (wrong PIN, or no input). */
    void authFailed(String account, long attemptsLeft) {
        auth.put("status", "FAILED");
        auth.put("account", account);
        auth.put("attempts_left", attemptsLeft);
        authOutcome = "FAILED";
    }

    boolean known() {
        return Boolean.TRUE.equals(customer.get("known"));
    }

    /** A known customer's {@code customer.name} as {@code lang} says it. */
    void nameIn(String lang) {
        if (known()) {
            customer.put("name", CallState.nameIn(lang, (String) customer.get("first_name"), (String) customer.get("last_name"),
                    (String) customer.get("language"), (String) customer.get("name")));
        }
    }

    static Map<String, Object> unknownCustomer() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("known", false);
        c.put("id", "");
        c.put("first_name", "");
        c.put("last_name", "");
        c.put("name", "");
        c.put("tier", "");
        c.put("language", "");
        c.put("attributes", Map.of());
        c.put("matches", 0L);
        return c;
    }

    static Map<String, Object> customerMap(Customer cu, long matches) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("known", true);
        c.put("id", nz(cu.id()));
        c.put("first_name", nz(cu.firstName()));
        c.put("last_name", nz(cu.lastName()));
        c.put("name", CallState.nameIn(cu.language() == null || cu.language().isBlank() ? "en" : cu.language(),
                cu.firstName(), cu.lastName(), cu.language(), cu.name()));
        c.put("tier", nz(cu.tier()));
        c.put("language", nz(cu.language()));
        c.put("attributes", new LinkedHashMap<String, Object>(cu.attributes()));
        c.put("matches", matches);
        return c;
    }

    static Map<String, Object> noAuth() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", "NONE");
        a.put("account", "");
        a.put("attempts_left", 0L);
        a.put("ok", false);
        return a;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
