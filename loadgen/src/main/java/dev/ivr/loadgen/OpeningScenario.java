package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The opening of a call to the shipped customer-service flow, for the call-setup rate: a known
 * customer calls (a number of the CRM's {@link CrmPopulation}, in one of the formats a PBX
 * sends), the flow answers, identifies them by number, greets them by name and says the main
 * menu; the caller hangs up while the menu waits for a key. What a new call costs the server
 * before the caller's choice: AGI session, CRM lookup, greeting, menu, checkpoints, the contact
 * history record at the end.
 *
 * <p>The greeting by name ({@code greet-known}) is synthesised the first time a first name is
 * greeted; until it is, the server says the generic welcome in its place (the prompt's
 * fallback), also two prompts. With the welcome's file known ({@link #fallbackFile(FakePbx, Duration)}, learned from
 * an unknown caller) a call that heard it fails as {@code greeting_fallback}; a call that heard the
 * server's waiting sound first (the greeting rendered within the latency budget while it
 * played: three prompts) as {@code greeting_waited}. A plateau measured while greetings were
 * still rendered does not hold.
 */
final class OpeningScenario implements Scenario {
    static final String NAME = "opening";
    /** The failure kind of a call that heard the fallback greeting. */
    static final String GREETING_FALLBACK = "greeting_fallback";
    /** The failure kind of a call that heard the server's waiting sound while its greeting by name was rendered. */
    static final String GREETING_WAITED = "greeting_waited";
    /** Not a customer of {@link CrmPopulation} (those are +3620...): the flow welcomes them without a name. */
    static final String UNKNOWN_CALLER = "+36991234567";

    private final int customers;
    private final String fallbackFile;

    /**
     * @param fallbackFile the file the server plays for the generic welcome, said in place of a
     *                     greeting by name not rendered in time; null: not known, not checked
     */
    OpeningScenario(int customers, String fallbackFile) {
        this.customers = customers;
        this.fallbackFile = fallbackFile;
    }

    OpeningScenario(int customers) {
        this(customers, null);
    }

    /**
     * The file of the generic welcome, as the server plays it: the first prompt an unknown caller
     * hears (one call, the caller hangs up at the language menu).
     *
     * @throws IllegalStateException when the call did not go that way
     */
    static String fallbackFile(FakePbx pbx, Duration timeout) {
        CallResult r = pbx.call("customer-service").callerId(UNKNOWN_CALLER).caller(Caller.script())
                .promptTime(Duration.ZERO).run(timeout);
        return welcomeFile(r);
    }

    /** The first STREAM FILE of an unknown caller's call: the welcome. */
    static String welcomeFile(CallResult unknownCaller) {
        List<String> files = streamFiles(unknownCaller);
        if (files.isEmpty() || unknownCaller.error() != null) {
            throw new IllegalStateException("an unknown caller heard no welcome: " + unknownCaller.commandNames()
                    + (unknownCaller.error() == null ? "" : ", " + unknownCaller.error()));
        }
        return files.getFirst();
    }

    String fallbackFile() {
        return fallbackFile;
    }

    private static List<String> streamFiles(CallResult r) {
        return r.commands().stream().filter(x -> x.name().equals("STREAM FILE")).map(x -> x.arg(0, "")).toList();
    }

    @Override
    public String script() {
        return "customer-service";
    }

    @Override
    public String callerId(Random random) {
        return CrmPopulation.dialled(random.nextInt(customers));
    }

    @Override
    public Caller caller(Random random) {
        // listens to the greeting and the menu (a short pause spent on the greeting), then hangs up at the menu's input
        return Caller.script().pause(Duration.ofMillis(300 + random.nextInt(1200)));
    }

    @Override
    public String check(CallResult r) {
        List<AgiCommand> c = r.commands();
        List<String> files = streamFiles(r);
        AgiCommand input = c.stream().filter(x -> x.name().equals("WAIT FOR DIGIT")).findFirst().orElse(null);
        if (input == null) {
            return "no_menu";
        }
        if (!input.arg(0, "").equals("5000")) {
            return "not_identified"; // an unknown caller hears the welcome and the language menu (4 s) first
        }
        if (fallbackFile != null && files.contains(fallbackFile)) {
            return GREETING_FALLBACK; // the generic welcome said in place of the greeting by name: not rendered yet
        }
        if (files.size() > 2) {
            // something before the greeting: the server's waiting sound while the greeting by name was rendered
            return GREETING_WAITED;
        }
        if (files.size() != 2) {
            return "greeting_skipped"; // the greeting by name was not ready within the server's latency budget
        }
        return r.hungUpBy() == CallResult.HungUpBy.CALLER ? null : "not_ended_by_caller";
    }
}
