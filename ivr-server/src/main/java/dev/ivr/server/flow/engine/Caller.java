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
    /**
     * The language {@code customer.name} was last put in (null: not known, e.g. a customer restored from a checkpoint):
     * {@link #nameIn} with that language again would give the same name, so it does not ask the formatter again.
     */
    private String nameLanguage;

    /** The CRM found exactly this customer by number. */
    void identified(Customer c) {
        customer = customerMap(c, 1);
        customerId = c.id();
        nameLanguage = ownLanguage(c);
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
            nameLanguage = ownLanguage(a.customer());
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

    /**
     * A known customer's {@code customer.name} as {@code lang} says it. Not formatted again in the language it is in
     * already (an identify or authenticate node puts the call's language again after the customer's map is made in
     * the customer's own): ICU's person-name formatter costs some 8 KB per name.
     */
    void nameIn(String lang) {
        if (known() && !lang.equals(nameLanguage)) {
            customer.put("name", CallState.nameIn(lang, (String) customer.get("first_name"), (String) customer.get("last_name"),
                    (String) customer.get("language"), (String) customer.get("name")));
            nameLanguage = lang;
        }
    }

    /** The language {@link #customerMap} puts a customer's name in: their own, else English. */
    private static String ownLanguage(Customer cu) {
        return cu.language() == null || cu.language().isBlank() ? "en" : cu.language();
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
        c.put("name", CallState.nameIn(ownLanguage(cu), cu.firstName(), cu.lastName(), cu.language(), cu.name()));
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
