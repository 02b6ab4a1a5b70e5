package dev.ivr.loadgen;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;

import java.util.Random;

/** What one simulated caller does, and how to tell that the call went as it should. */
public interface Scenario {

    /** The script (flow) name the call asks for: {@code agi://host/NAME}. */
    String script();

    /** Settings of the fake PBX the scenario needs (dialplan subroutines the server relies on). */
    default void configure(dev.ivr.fakepbx.FakePbx pbx) {
    }

    /** A caller for one call: keys, think times, hang-up point. */
    Caller caller(Random random);

    /** The caller's number (varied per call so the server sees many callers). */
    default String callerId(Random random) {
        return "36" + (100_000_000 + random.nextInt(900_000_000));
    }

    /**
     * Whether the call ended as the scenario expects: null when it did, otherwise a short
     * failure kind (a metric label).
     */
    String check(CallResult result);
}
