package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;

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
 */
final class OpeningScenario implements Scenario {
    static final String NAME = "opening";

    private final int customers;

    OpeningScenario(int customers) {
        this.customers = customers;
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
        long prompts = c.stream().filter(x -> x.name().equals("STREAM FILE")).count();
        AgiCommand input = c.stream().filter(x -> x.name().equals("WAIT FOR DIGIT")).findFirst().orElse(null);
        if (input == null) {
            return "no_menu";
        }
        if (!input.arg(0, "").equals("5000")) {
            return "not_identified"; // an unknown caller hears the welcome and the language menu (4 s) first
        }
        if (prompts != 2) {
            return "greeting_skipped"; // the greeting by name was not ready within the server's latency budget
        }
        return r.hungUpBy() == CallResult.HungUpBy.CALLER ? null : "not_ended_by_caller";
    }
}
