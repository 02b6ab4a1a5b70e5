package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.speech.SpeechModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node steps that talk with the caller or the CRM ({@link PromptSteps}, {@link MenuStep}, {@link CollectStep},
 * {@link ListenStep}, {@link SetStep}, {@link BranchStep}, {@link IdentifyStep}, {@link AuthenticateStep},
 * {@link TransferStep}, {@link HangupStep}), each on a small flow run on the simulated channel: the edge the step
 * takes, and what it leaves in the call's record.
 */
class InputStepsTest {
    static final Instant AT = Instant.parse("2025-06-02T08:00:00Z");
    static final String KNOWN = "+15551230000";

    @TempDir
    static Path dir;
    static FlowSet flows;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("menu.yaml"), """
                description: menu, say, play, set, branch, hangup
                start: hello
                languages: [en, de]
                variables: {count: 0}
                nodes:
                  hello:
                    type: say
                    text: Hello.
                    barge-in: true
                    next: music
                  music:
                    type: play
                    sound: custom/jingle
                    transcript: a jingle
                    next: menu
                  menu:
                    type: menu
                    text: Press 1 for German, 2 for the count.
                    options: {"1": german, "2": count}
                    into: choice
                    timeout: 2s
                    retries: 1
                    invalid: {text: That is not an option.}
                    fallback: gave-up
                  german:
                    type: set
                    language: de
                    channel: {CHOSEN: "${inputs.choice}\\nInjected: yes"}
                    next: bye
                  count:
                    type: set
                    vars: {count: count + 41}
                    next: check
                  check:
                    type: branch
                    conditions:
                      - if: count == 41
                        next: bye
                    else: gave-up
                  gave-up:
                    type: hangup
                    outcome: failed
                  bye:
                    type: hangup
                """);
        Files.writeString(dir.resolve("collect.yaml"), """
                description: collect with validation
                start: card
                languages: [en]
                nodes:
                  card:
                    type: collect
                    text: Your card number, then hash.
                    into: card
                    min-length: 4
                    max-length: 16
                    validate: {luhn: true}
                    retries: 1
                    invalid: {text: That number is not valid.}
                    fallback: failed
                    next: pin
                  pin:
                    type: collect
                    text: Your PIN.
                    into: pin
                    secret: true
                    max-length: 4
                    fallback: failed
                    next: done
                  done:
                    type: hangup
                  failed:
                    type: hangup
                    outcome: failed
                """);
        Files.writeString(dir.resolve("listen.yaml"), """
                description: listen
                start: ask
                languages: [en]
                variables: {reason: ""}
                nodes:
                  ask:
                    type: listen
                    text: What are you calling about?
                    phrases:
                      en:
                        billing: [billing, my invoice]
                        support: support
                    options: {billing: billing}
                    keys: {"0": operator}
                    into: reason
                    timeout: 2s
                    retries: 1
                    no-match: {text: 'Sorry, I did not understand.'}
                    on-error: operator
                    fallback: operator
                    next: other
                  billing:
                    type: hangup
                    outcome: self-served
                  other:
                    type: hangup
                  operator:
                    type: hangup
                    outcome: failed
                """);
        Files.writeString(dir.resolve("crm.yaml"), """
                description: identify, authenticate, transfer
                start: who
                languages: [en, de]
                nodes:
                  who:
                    type: identify
                    on-identified: auth
                    next: auth
                  auth:
                    type: authenticate
                    account-prompt: enter-account
                    pin-prompt: enter-pin
                    failed-prompt: auth-failed
                    attempts: 2
                    on-ok: agent
                    on-locked: locked
                    next: locked
                  agent:
                    type: transfer
                    to: "${customer.tier},1"
                    context: agents
                    on-failure: locked
                  locked:
                    type: hangup
                    outcome: failed
                """);
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(dir, Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), SpeechModels.SIMULATED));
        assertThat(loaded.hasErrors()).as("%s %s", loaded.problems(), loaded.flows()).isFalse();
        flows = loaded.flowSet();
    }

    static ScriptedCrm crm() {
        return new ScriptedCrm(List.of(Map.of("id", "c-1", "first-name", "Anna", "last-name", "Schmidt",
                "language", "de", "tier", "gold", "phones", List.of(KNOWN),
                "accounts", List.of(Map.of("number", "12345", "pin", "4321")))), false);
    }

    static Run call(String flow, String ani, String script, ScriptedCrm crm) {
        List<String> lines = Simulation.run(flows, new Simulation.Call(flow, ani, "1000", "en", List.of(), AT,
                CallerSteps.parse(script), null, crm, CallRouter.NONE, true), x -> { }).lines();
        return new Run(String.join("\n", lines), crm.recorded().isEmpty() ? null : crm.recorded().getLast());
    }

    record Run(String transcript, Interaction interaction) {
    }

    @Test
    void aKeyDuringTheGreetingIsTypedAheadIntoTheMenu() {
        Run r = call("menu", "+15550000000", "barge:1", crm());
        assertThat(r.transcript()).contains("Hello.").contains("caller chose 1").contains("language de")
                .doesNotContain("Press 1 for German");
        assertThat(r.interaction().inputs()).containsEntry("choice", "1");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.SELF_SERVED);
    }

    @Test
    void playSaysItsTranscriptAndSetRemovesLineBreaksFromChannelVariables() {
        CallInfo info = new CallInfo("steps-1", "menu", Map.of(), List.of(), "+15550000000", "", "1000",
                "Local/steps-00000001;1", "en", "test", "1000", "127.0.0.1");
        Transcript t = new Transcript(x -> { });
        SimulatedChannel channel = new SimulatedChannel(info, CallerSteps.parse("silence,1"), null, t);
        FlowEngine engine = new FlowEngine(() -> flows, new TranscriptAudio(), crm(), CallRouter.NONE, Checkpoints.NONE,
                Clock.fixed(AT, ZoneOffset.UTC), "test");
        engine.run(channel, "menu", t);
        assertThat(String.join("\n", t.lines())).contains("a jingle").contains("language de");
        assertThat(channel.getVariable("CHOSEN")).hasValue("1 Injected: yes");
        assertThat(channel.getVariable("CHANNEL(language)")).hasValue("de");
    }

    @Test
    void anInvalidKeyIsRepromptedThenTheRetriesRunOut() {
        Run r = call("menu", "+15550000000", "9,silence", crm());
        assertThat(r.transcript()).contains("invalid key 9").contains("That is not an option.")
                .contains("retries used up").contains("hangs up");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.FAILED);
    }

    @Test
    void setEvaluatesVariablesAndBranchTestsThem() {
        Run r = call("menu", "+15550000000", "silence,2", crm());
        assertThat(r.interaction().path()).containsSubsequence("menu", "count", "check", "bye");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.SELF_SERVED);
    }

    @Test
    void collectRepromptsANumberThatFailsTheLuhnCheckAndMasksASecret() {
        Run r = call("collect", "+15550000000", "378282246310006#,378282246310005#,1234", crm());
        assertThat(r.transcript()).contains("invalid input (fails the Luhn check)").contains("That number is not valid.")
                .contains("collected card = 378282246310005").contains("collected pin = " + CallState.MASK);
        assertThat(r.interaction().inputs()).containsEntry("card", "378282246310005")
                .containsEntry("pin", CallState.MASK);
    }

    @Test
    void collectTooShortTwiceTakesTheFallback() {
        Run r = call("collect", "+15550000000", "12#,12#", crm());
        assertThat(r.transcript()).contains("invalid input (shorter than 4)").contains("retries used up");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.FAILED);
    }

    @Test
    void listenFollowsTheOptionOfWhatWasSaid() {
        Run r = call("listen", "+15550000000", "say:my invoice", crm());
        assertThat(r.transcript()).contains("caller said").contains("billing");
        assertThat(r.interaction().path()).endsWith("billing");
    }

    @Test
    void listenRepromptsWhatItDidNotUnderstandAndTakesAKey() {
        Run r = call("listen", "+15550000000", "say:the weather,0", crm());
        assertThat(r.transcript()).contains("not understood").contains("Sorry, I did not understand.")
                .contains("caller pressed 0");
        assertThat(r.interaction().path()).endsWith("operator");
    }

    @Test
    void aKnownCallerIsIdentifiedSwitchesToTheirLanguageAndIsTransferredAfterThePin() {
        Run r = call("crm", KNOWN, "12345#,4321#,dial:ANSWER", crm());
        assertThat(r.transcript()).contains("identify: IDENTIFIED (customer c-1)").contains("language de (customer record)")
                .contains("authenticate account 12345: OK").contains("transfer to gold1@agents");
        assertThat(r.interaction().inputs()).doesNotContainValue("4321");
        assertThat(r.interaction().customerId()).isEqualTo("c-1");
        assertThat(r.interaction().authOutcome()).isEqualTo("OK");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.TRANSFERRED);
    }

    @Test
    void aWrongPinIsAskedAgainAndTwoFailuresTakeTheFailedEdge() {
        Run r = call("crm", "+15550000000", "12345#,1111#,12345#,2222#", crm());
        assertThat(r.transcript()).contains("identify: UNKNOWN").contains("authenticate account 12345: FAILED");
        assertThat(r.interaction().customerId()).isNull();
        assertThat(r.interaction().authOutcome()).isEqualTo("FAILED");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.FAILED);
    }

    @Test
    void aBusyTransferTakesItsFailureEdge() {
        Run r = call("crm", KNOWN, "12345#,4321#,dial:BUSY", crm());
        assertThat(r.transcript()).contains("dial status BUSY");
        assertThat(r.interaction().path()).endsWith("locked");
        assertThat(r.interaction().outcome()).isEqualTo(Interaction.Outcome.FAILED);
    }
}
