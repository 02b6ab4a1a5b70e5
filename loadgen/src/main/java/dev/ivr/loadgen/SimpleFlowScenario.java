package dev.ivr.loadgen;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;

import java.time.Duration;
import java.util.Random;

/**
 * A caller of the load generator's simple flow ({@code bench/flows/simple.yaml}, and the stock
 * server's {@code SimpleScript}): listens to the welcome, picks 1 or 2 at the menu after
 * thinking 0.5–3 s, types a 4-digit code after 1–3 s with 0.2–0.6 s between the keys, hears the
 * thanks; the server sets {@code BENCH_CODE} and hangs up. About 13 s and 15 AGI commands a
 * call with 2 s prompts: some 1.15 commands per second per call.
 *
 * <p>The fake PBX spends a pause on the next command it answers, so each think time is spent
 * on the prompt before the input (the server sees the same gap between commands).
 */
final class SimpleFlowScenario implements Scenario {
    static final String NAME = "simple";

    @Override
    public String script() {
        return NAME;
    }

    @Override
    public Caller caller(Random random) {
        Caller c = Caller.script()
                .pause(ms(random, 500, 3000)).press(random.nextBoolean() ? "1" : "2")
                .pause(ms(random, 1000, 3000));
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                c.pause(ms(random, 200, 600));
            }
            c.press(String.valueOf(random.nextInt(10)));
        }
        return c;
    }

    private static Duration ms(Random random, int min, int max) {
        return Duration.ofMillis(min + random.nextInt(max - min));
    }

    @Override
    public String check(CallResult r) {
        if (r.hungUpBy() != CallResult.HungUpBy.SERVER) {
            return "not_hung_up_by_server";
        }
        String code = r.variable("BENCH_CODE");
        return code != null && code.matches("\\d{4}") ? null : "no_code";
    }
}
