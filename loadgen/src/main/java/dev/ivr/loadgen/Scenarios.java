package dev.ivr.loadgen;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** The scenarios the load generator knows, by name. */
public final class Scenarios {
    private static final Map<String, Scenario> ALL = new TreeMap<>();

    static {
        register("diag", new Scenario() {
            @Override
            public String script() {
                return "diag";
            }

            @Override
            public Caller caller(Random random) {
                return Caller.script();
            }

            @Override
            public String check(CallResult r) {
                return r.commandNames().contains("HANGUP") ? null : "no_hangup";
            }
        });
        register(SimpleFlowScenario.NAME, new SimpleFlowScenario());
        // customer-service and opening take options (talk time, customers): LoadGen builds them; listed here by name
        register(CustomerServiceScenario.NAME, new CustomerServiceScenario(java.time.Duration.ofSeconds(20),
                java.time.Duration.ofSeconds(40)));
        register(OpeningScenario.NAME, new OpeningScenario(1_000_000));
    }

    private Scenarios() {
    }

    static void register(String name, Scenario s) {
        ALL.put(name, s);
    }

    public static Scenario byName(String name) {
        Scenario s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + ALL.keySet());
        }
        return s;
    }

    /** For picocli's completion candidates. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.copyOf(ALL.keySet()).iterator();
        }
    }
}
