package dev.ivr.server.flow;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.tools.ScriptedCrm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a {@code collect} node reads digits over FastAGI (the fake PBX, real sockets): with terminator {@code #} or none,
 * one {@code GET DATA} that plays the prompt and keeps listening between keys (Asterisk drops keys that come while no
 * command runs); with another terminator, a key per {@code WAIT FOR DIGIT}. Flows in src/test/resources/flows-digits:
 * max-length 6, timeout 3 s, inter-digit-timeout 1 s, barge-in (hash-patient: 20 s and 10 s).
 */
@Tag("integration")
class DigitsInputIT {
    static final Duration T = Duration.ofSeconds(30);
    static FlowHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new FlowHarness(Path.of("src/test/resources/flows-digits"), Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), Clock.systemUTC(), new ScriptedCrm(List.of(), false), null,
                Checkpoints.NONE, false);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    static List<String> lines(CallResult r) {
        return r.commands().stream().filter(c -> c.name().equals("GET DATA") || c.name().equals("WAIT FOR DIGIT")
                || c.name().equals("STREAM FILE")).map(DigitsInputIT::line).toList();
    }

    static String line(AgiCommand c) {
        return c.name() + " " + String.join(" ", c.args());
    }

    @Test
    void aNumberEndedByHashIsOneGetDataThatPlaysThePrompt() {
        CallResult r = h.pbx.call("hash").caller(Caller.script().press("4711#")).run(T);
        assertThat(r.variable("NUMBER")).isEqualTo("4711");
        assertThat(lines(r)).containsExactly("GET DATA tts/Enter_the_number_ 1000 6");
    }

    @Test
    void withoutATerminatorAHashIsADigitAndTheInputReadsOnWithAnotherGetData() {
        CallResult r = h.pbx.call("none").caller(Caller.script().press("12#34")).run(T);
        assertThat(r.variable("NUMBER")).isEqualTo("12#34");
        assertThat(lines(r)).containsExactly("GET DATA tts/Enter_the_number_ 1000 6", "GET DATA  1000 3");
    }

    @Test
    void anotherTerminatorIsReadAKeyAtATime() {
        CallResult r = h.pbx.call("star").caller(Caller.script().bargeIn("12*")).run(T);
        assertThat(r.variable("NUMBER")).isEqualTo("12");
        assertThat(lines(r)).containsExactly("STREAM FILE tts/Enter_the_number_ 0123456789*#", "WAIT FOR DIGIT 1000",
                "WAIT FOR DIGIT 1000");
    }

    @Test
    void aFirstKeyAfterThePauseIsWaitedForUntilTheTimeoutThenTheRestIsOneGetData() {
        // silence through the first input (GET DATA for the pause, WAIT FOR DIGIT for the rest of the 3 s), the reprompt
        CallResult r = h.pbx.call("hash").caller(Caller.script().silence().press("99#")).run(T);
        assertThat(r.variable("NUMBER")).isEqualTo("99");
        assertThat(lines(r)).containsExactly("GET DATA tts/Enter_the_number_ 1000 6", "WAIT FOR DIGIT 2000",
                "STREAM FILE tts/Again_ ", "GET DATA tts/Enter_the_number_ 1000 6");
    }

    @Test
    void keysPressedInRealTimeDuringTheInputAreAllHeard() {
        // hash-patient: as hash with a 10 s pause between keys, so that a test thread starved on a busy machine still
        // types within GET DATA's first pause
        FakeCall c = h.pbx.call("hash-patient").caller(Caller.script().thenSilence()).realTimeouts().start();
        await().atMost(T).pollInterval(Duration.ofMillis(5))
                .until(() -> c.snapshot().stream().anyMatch(cmd -> cmd.name().equals("GET DATA")));
        for (char k : "314159".toCharArray()) {
            c.pressKey(k);
            sleep(30);
        }
        CallResult r = c.await(T);
        assertThat(r.variable("NUMBER")).isEqualTo("314159");
        assertThat(c.lostKeys()).isEmpty();
        assertThat(lines(r)).containsExactly("GET DATA tts/Enter_the_number_ 10000 6");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
