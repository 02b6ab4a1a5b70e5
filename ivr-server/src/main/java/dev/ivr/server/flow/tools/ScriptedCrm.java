package dev.ivr.server.flow.tools;

import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CRM of a simulation or a flow test: customers given in YAML, held in memory.
 *
 * <pre>
 * customers:
 *   - id: C-1001
 *     first-name: Anna
 *     last-name: Kovacs
 *     tier: gold
 *     language: en
 *     phones: ["+36 1 234 5678"]
 *     accounts: [{number: "12345678", pin: "4321"}]
 *     attributes: {segment: retail}
 * </pre>
 * Numbers match on their digits (the last 9 at least, so "+3612345678" matches "012345678");
 * three wrong PINs lock an account. With {@code unavailable} every answer is UNAVAILABLE.
 */
public final class ScriptedCrm implements CrmStore {
    static final int MAX_FAILURES = 3;

    private record Account(String number, String pin, Customer owner) {
    }

    private final List<Customer> customers = new ArrayList<>();
    private final Map<String, List<String>> phones = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final boolean unavailable;
    private final List<Interaction> recorded = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public ScriptedCrm(List<Map<String, Object>> data, boolean unavailable) {
        this.unavailable = unavailable;
        int index = 0;
        for (Map<String, Object> m : data == null ? List.<Map<String, Object>>of() : data) {
            for (String key : m.keySet()) {
                if (!KEYS.contains(key)) { // first_name (CSV's spelling) would leave the name empty, silently
                    throw new IllegalArgumentException("customers[" + index + "]: unknown key '" + key + "'"
                            + dev.ivr.server.text.DidYouMean.suffix(key, KEYS)
                            + " (YAML files write keys in kebab-case: " + String.join(", ", KEYS) + ")");
                }
            }
            index++;
            Map<String, String> attrs = new LinkedHashMap<>();
            ((Map<String, Object>) m.getOrDefault("attributes", Map.of())).forEach((k, v) -> attrs.put(k, String.valueOf(v)));
            Customer c = new Customer(str(m.get("id")), str(m.get("first-name")), str(m.get("last-name")),
                    str(m.get("language")), str(m.get("tier")), attrs);
            customers.add(c);
            List<String> ps = new ArrayList<>();
            for (Object p : (List<Object>) m.getOrDefault("phones", List.of())) {
                ps.add(digits(String.valueOf(p)));
            }
            phones.put(c.id(), ps);
            for (Map<String, Object> a : (List<Map<String, Object>>) m.getOrDefault("accounts", List.of())) {
                accounts.put(str(a.get("number")), new Account(str(a.get("number")), str(a.get("pin")), c));
            }
        }
    }

    /** The keys of a customer in YAML (flow tests, simulate --customers): kebab-case, as every YAML key of ivr. */
    static final List<String> KEYS = List.of("id", "first-name", "last-name", "language", "tier", "phones", "accounts",
            "attributes");

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String digits(String s) {
        return s.replaceAll("[^0-9]", "");
    }

    private static boolean same(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        int n = Math.min(Math.min(a.length(), b.length()), 9);
        return a.length() >= n && b.length() >= n && a.endsWith(b.substring(b.length() - n))
                && b.endsWith(a.substring(a.length() - n));
    }

    @Override
    public synchronized Identification identify(String ani) {
        if (unavailable) {
            return Identification.of(Identification.Status.UNAVAILABLE);
        }
        String d = ani == null ? "" : digits(ani);
        if (d.isEmpty()) {
            return Identification.of(Identification.Status.WITHHELD);
        }
        List<Customer> found = new ArrayList<>();
        for (Customer c : customers) {
            if (phones.get(c.id()).stream().anyMatch(p -> same(p, d))) {
                found.add(c);
            }
        }
        return switch (found.size()) {
            case 0 -> Identification.of(Identification.Status.UNKNOWN);
            case 1 -> new Identification(Identification.Status.IDENTIFIED, found);
            default -> new Identification(Identification.Status.AMBIGUOUS, found);
        };
    }

    @Override
    public synchronized Authentication authenticate(String accountNumber, String pin, String callId) {
        if (unavailable) {
            return new Authentication(Authentication.Status.UNAVAILABLE, accountNumber, null, 0, null);
        }
        int failed = failures.getOrDefault(accountNumber, 0);
        if (failed >= MAX_FAILURES) {
            return new Authentication(Authentication.Status.LOCKED, accountNumber, null, 0, null);
        }
        Account a = accounts.get(accountNumber);
        if (a != null && a.pin().equals(pin)) {
            failures.remove(accountNumber);
            return new Authentication(Authentication.Status.OK, accountNumber, a.owner(), MAX_FAILURES, null);
        }
        failures.put(accountNumber, ++failed);
        if (failed >= MAX_FAILURES) {
            return new Authentication(Authentication.Status.LOCKED, accountNumber, null, 0, null);
        }
        return new Authentication(Authentication.Status.FAILED, accountNumber, null, MAX_FAILURES - failed, null);
    }

    @Override
    public synchronized Optional<Customer> customer(String customerId) {
        return customers.stream().filter(c -> c.id().equals(customerId)).findFirst();
    }

    @Override
    public synchronized void record(Interaction interaction) {
        recorded.add(interaction);
    }

    @Override
    public synchronized void recordRing(String callId, java.time.Duration ring) {
        for (int i = 0; i < recorded.size(); i++) {
            Interaction r = recorded.get(i);
            if (r.callId().equals(callId)) {
                recorded.set(i, new Interaction(r.callId(), r.ani(), r.dnis(), r.flow(), r.flowVersion(), r.start(),
                        r.end(), r.path(), r.inputs(), r.customerId(), r.authOutcome(), r.queue(), r.agentId(),
                        r.waitTime() == null ? ring : r.waitTime().plus(ring), r.talkTime(), r.outcome(), r.node()));
            }
        }
    }

    public synchronized List<Interaction> recorded() {
        return List.copyOf(recorded);
    }
}
