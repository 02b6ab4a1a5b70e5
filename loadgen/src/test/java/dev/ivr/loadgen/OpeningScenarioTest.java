package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.CallResult;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The opening's check: the greeting by name, told from the fallback by the file played. */
class OpeningScenarioTest {
    static final String WELCOME = "/var/ivr/prompts/ab/ab12welcome";
    static final String GREETING_ANNA = "/var/ivr/prompts/cd/cd34anna";
    static final String MAIN_MENU = "/var/ivr/prompts/ef/ef56menu";

    static CallResult call(CallResult.HungUpBy by, String... lines) {
        List<AgiCommand> commands = Arrays.stream(lines).map(AgiCommand::parse).toList();
        return new CallResult("1.1", AgiStatus.SUCCESS, by, commands, Map.of(), null, List.of());
    }

    /** A known caller's opening: answer, greeting, menu, the menu's input (the caller hangs up there). */
    static CallResult opening(String greeting) {
        return call(CallResult.HungUpBy.CALLER, "ANSWER", "STREAM FILE \"" + greeting + "\" \"0123456789*#\"",
                "STREAM FILE \"" + MAIN_MENU + "\" \"0123456789*#\"", "WAIT FOR DIGIT 5000");
    }

    @Test
    void theGreetingByNamePasses() {
        assertThat(new OpeningScenario(1000, WELCOME).check(opening(GREETING_ANNA))).isNull();
    }

    @Test
    void theFallbackWelcomeInItsPlaceFailsThoughItIsTwoPromptsToo() {
        OpeningScenario sc = new OpeningScenario(1000, WELCOME);
        assertThat(sc.check(opening(WELCOME))).isEqualTo("greeting_fallback");
        assertThat(Failures.classify(opening(WELCOME), sc)).isEqualTo("scenario_greeting_fallback");
    }

    /** The server's waiting sound while the greeting was rendered, then {@code greeting}, the menu and its input. */
    static CallResult afterTheWaitingSound(String greeting) {
        return call(CallResult.HungUpBy.CALLER, "ANSWER", "STREAM FILE \"/var/ivr/prompts/00/silence\" \"0123456789*#\"",
                "STREAM FILE \"" + greeting + "\" \"0123456789*#\"", "STREAM FILE \"" + MAIN_MENU + "\" \"0123456789*#\"",
                "WAIT FOR DIGIT 5000");
    }

    @Test
    void theFallbackAfterTheWaitingSoundIsAFallbackToo() {
        assertThat(new OpeningScenario(1000, WELCOME).check(afterTheWaitingSound(WELCOME))).isEqualTo("greeting_fallback");
    }

    @Test
    void theGreetingAfterTheWaitingSoundIsAWait() {
        CallResult r = afterTheWaitingSound(GREETING_ANNA);
        assertThat(new OpeningScenario(1000, WELCOME).check(r)).isEqualTo("greeting_waited");
        assertThat(new OpeningScenario(1000).check(r)).isEqualTo("greeting_waited");
    }

    @Test
    void withoutTheFallbackKnownOnlyTheNumberOfPromptsIsChecked() {
        OpeningScenario sc = new OpeningScenario(1000);
        assertThat(sc.fallbackFile()).isNull();
        assertThat(sc.check(opening(WELCOME))).isNull();
        CallResult skipped = call(CallResult.HungUpBy.CALLER, "ANSWER", "STREAM FILE \"" + MAIN_MENU + "\" \"\"", "WAIT FOR DIGIT 5000");
        assertThat(sc.check(skipped)).isEqualTo("greeting_skipped");
        assertThat(new OpeningScenario(1000, WELCOME).check(skipped)).isEqualTo("greeting_skipped");
    }

    @Test
    void anUnidentifiedCallerAndACallTheServerEndedAreStillTold() {
        OpeningScenario sc = new OpeningScenario(1000, WELCOME);
        CallResult unknown = call(CallResult.HungUpBy.CALLER, "ANSWER", "STREAM FILE \"" + WELCOME + "\" \"\"",
                "STREAM FILE \"/var/ivr/prompts/lang\" \"12345\"", "WAIT FOR DIGIT 4000");
        assertThat(sc.check(unknown)).isEqualTo("not_identified");
        CallResult ended = call(CallResult.HungUpBy.SERVER, "ANSWER", "STREAM FILE \"" + GREETING_ANNA + "\" \"\"",
                "STREAM FILE \"" + MAIN_MENU + "\" \"\"", "WAIT FOR DIGIT 5000");
        assertThat(sc.check(ended)).isEqualTo("not_ended_by_caller");
        assertThat(sc.check(call(CallResult.HungUpBy.CALLER, "ANSWER", "HANGUP"))).isEqualTo("no_menu");
    }

    @Test
    void theWelcomeIsTheFirstFileAnUnknownCallerHears() {
        CallResult unknown = call(CallResult.HungUpBy.CALLER, "ANSWER", "STREAM FILE \"" + WELCOME + "\" \"\"",
                "STREAM FILE \"/var/ivr/prompts/lang\" \"12345\"", "WAIT FOR DIGIT 4000");
        assertThat(OpeningScenario.welcomeFile(unknown)).isEqualTo(WELCOME);
        assertThatThrownBy(() -> OpeningScenario.welcomeFile(call(CallResult.HungUpBy.SERVER, "ANSWER", "HANGUP")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no welcome");
    }

    @Test
    void theUnknownCallerIsNoCustomer() {
        assertThat(OpeningScenario.UNKNOWN_CALLER).doesNotStartWith("+3620");
        assertThat(CrmPopulation.dialled(0)).startsWith("+3620");
    }
}
