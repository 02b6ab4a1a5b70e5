package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;

import java.time.Duration;
import java.util.Random;

/**
 * A caller of the shipped customer-service flow, as a contact center sees most of them: an
 * unknown number, welcomed, picks English at the language menu and support (4 in 5) or sales at
 * the main menu after thinking a moment, waits in the queue with music and announcements, is
 * answered by an agent, talks, hangs up. Prompts take their playing time ({@code --prompt-time})
 * and silent inputs their whole timeout, as on Asterisk.
 *
 * <p>A call succeeds when it reached an agent (EXEC Dial answered) or, if the queue was too long,
 * the flow's own way out (voicemail); anything else is a failure of the kind the check names.
 */
final class CustomerServiceScenario implements Scenario {
    static final String NAME = "customer-service";

    private final Duration talkMin;
    private final Duration talkMax;

    CustomerServiceScenario(Duration talkMin, Duration talkMax) {
        this.talkMin = talkMin;
        this.talkMax = talkMax;
    }

    @Override
    public String script() {
        return NAME;
    }

    @Override
    public void configure(dev.ivr.fakepbx.FakePbx pbx) {
        // the agent's answer is reported by the dialplan's U() subroutine (config/asterisk/extensions.conf)
        pbx.answerGosub("ivr-agent-answered", "agent-answered");
    }

    @Override
    public String callerId(Random random) {
        // numbers nobody in the CRM has: the anonymous welcome and the language menu
        return "+3670" + (1_000_000 + random.nextInt(8_999_999));
    }

    @Override
    public Caller caller(Random random) {
        String department = random.nextInt(5) == 0 ? "3" : "2"; // sales : support
        long talk = talkMin.toMillis() + (long) (random.nextDouble() * (talkMax.toMillis() - talkMin.toMillis()));
        return Caller.script()
                .pause(think(random)).press("1")         // language menu: English
                .pause(think(random)).press(department)  // main menu
                .dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(talk))
                .thenSilence();                          // waits in the queue without pressing anything
    }

    private static Duration think(Random random) {
        return Duration.ofMillis(500 + random.nextInt(2500));
    }

    @Override
    public String check(CallResult r) {
        boolean routed = r.execs("Dial").stream().anyMatch(c -> c.arg(1, "").startsWith("PJSIP/"));
        if (routed) {
            return "ANSWER".equals(r.variable("DIALSTATUS")) ? null : "agent_not_answered";
        }
        if (!r.execs("VoiceMail").isEmpty()) {
            return null; // waited too long: the flow offers voicemail, as designed
        }
        boolean queued = r.commands().stream().map(AgiCommand::name).anyMatch("SET MUSIC"::equals);
        return queued ? "left_queue_without_agent" : "not_queued";
    }
}
