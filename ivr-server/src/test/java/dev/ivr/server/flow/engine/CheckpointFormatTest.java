package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.speech.SpeechModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint's wire format across a rolling upgrade: a checkpoint written by the code before {@link CallState}
 * was split into {@link Position}, {@link Caller}, {@link Inputs} and {@link Disposition} (commit 2c8b8de, the
 * JSON below, byte for byte) is read by this code and the call resumes where it was; and this code writes the
 * very same JSON for the same call, so an older server can resume a call this one checkpointed.
 */
class CheckpointFormatTest {
    static final Instant AT = Instant.parse("2025-06-02T08:00:00Z");
    static final String KNOWN = "+15551230000";

    @TempDir
    static Path dir;
    static FlowSet flows;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("main.yaml"), """
                description: a call with something in every part of its state
                start: who
                languages: [en, de]
                variables: {department: '"none"'}
                nodes:
                  who:
                    type: identify
                    next: auth
                  auth:
                    type: authenticate
                    account-prompt: enter-account
                    pin-prompt: enter-pin
                    failed-prompt: auth-failed
                    attempts: 2
                    on-ok: code
                    next: code
                  code:
                    type: collect
                    text: Your secret code.
                    into: code
                    secret: true
                    max-length: 4
                    fallback: bye
                    next: ref
                  ref:
                    type: collect
                    text: Your reference.
                    into: reference
                    max-length: 6
                    fallback: bye
                    next: why
                  why:
                    type: listen
                    text: What are you calling about?
                    phrases:
                      en:
                        billing: [billing]
                      de:
                        billing: [rechnung]
                    into: reason
                    timeout: 2s
                    on-error: sub
                    fallback: sub
                    next: sub
                  sub:
                    type: subflow
                    flow: child
                    args: {level: 2}
                    next: bye
                  bye:
                    type: hangup
                """);
        Files.writeString(dir.resolve("child.yaml"), """
                description: a subflow that waits for a key
                start: mark
                languages: [en, de]
                variables: {level: 0}
                nodes:
                  mark:
                    type: set
                    vars: {level: level + 1}
                    next: menu
                  menu:
                    type: menu
                    text: Press 1.
                    options: {"1": back}
                    timeout: 2s
                    retries: 0
                    fallback: back
                  back:
                    type: return
                """);
        flows = flowsIn(dir);
    }

    /** The flows of a directory, loaded as the server does (with the shipped prompts), without a problem. */
    static FlowSet flowsIn(Path dir) {
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(dir, Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), SpeechModels.SIMULATED));
        assertThat(loaded.hasErrors()).as("%s %s", loaded.problems(), loaded.flows()).isFalse();
        return loaded.flowSet();
    }

    static final class Saved implements Checkpoints {
        final List<String> saves = new ArrayList<>();
        final String resumeFrom;

        Saved(String resumeFrom) {
            this.resumeFrom = resumeFrom;
        }

        @Override
        public void save(String callId, String state) {
            saves.add(state);
        }

        @Override
        public Optional<String> load(String callId) {
            return Optional.ofNullable(resumeFrom);
        }

        @Override
        public void delete(String callId) {
        }
    }

    static CallInfo info() {
        return new CallInfo("call-1", "main", Map.of(), List.of(), KNOWN, "", "1000", "Local/cp-00000001;1", "en",
                "test", "1000", "127.0.0.1");
    }

    static ScriptedCrm crm() {
        return new ScriptedCrm(List.of(Map.of("id", "c-1", "first-name", "Anna", "last-name", "Schmidt",
                "language", "de", "tier", "gold", "phones", List.of(KNOWN),
                "accounts", List.of(Map.of("number", "12345", "pin", "4321")))), false);
    }

    static Transcript run(Saved checkpoints, String script) {
        Transcript t = new Transcript(x -> { });
        SimulatedChannel channel = new SimulatedChannel(info(), CallerSteps.parse(script), null, t);
        FlowEngine engine = new FlowEngine(() -> flows, new TranscriptAudio(), crm(), CallRouter.NONE, checkpoints,
                Clock.fixed(AT, ZoneOffset.UTC), "node-a", channel.speech(SpeechModels.SIMULATED));
        try {
            engine.run(channel, "main", t);
        } catch (RuntimeException e) {
            // the caller hung up: the transcript has it
        }
        return t;
    }

    /** Written by the code of commit 2c8b8de for the call of {@link #thisCodeWritesWhatTheOldCodeWrote()}. */
    static final String OLD =
            "{\"v\":1,\"server\":\"node-a\",\"start\":\"2025-06-02T08:00:00Z\",\"language\":\"de\",\"callVars\":{"
            + "},\"customer\":{\"known\":true,\"id\":\"c-1\",\"first_name\":\"Anna\",\"last_name\":\"Schmidt\",\"na"
            + "me\":\"Anna Schmidt\",\"tier\":\"gold\",\"language\":\"de\",\"attributes\":{},\"matches\":1},\"custo"
            + "merId\":\"c-1\",\"auth\":{\"status\":\"OK\",\"account\":\"12345\",\"attempts_left\":3,\"ok\":true},\""
            + "authOutcome\":\"OK\",\"inputs\":{\"reference\":\"123456\",\"reason\":\"billing\"},\"answers\":{\"rea"
            + "son\":{\"text\":\"rechnung\",\"value\":\"billing\",\"confidence\":0.9,\"key\":\"\"}},\"speechOff\":f"
            + "alse,\"path\":[\"who\",\"auth\",\"code\",\"ref\",\"why\",\"sub\",\"child/mark\"],\"frames\":[{\"flow"
            + "\":\"main\",\"version\":\"2165861de50b\",\"node\":\"sub\",\"vars\":{\"department\":\"\\\"none\\\"\"}"
            + ",\"returnNode\":null},{\"flow\":\"child\",\"version\":\"8c57b4accde5\",\"node\":\"menu\",\"vars\":{\""
            + "level\":3},\"returnNode\":\"sub\"}]}";
    /** What this code writes: the old format plus the caller's number (read by LostCallRecorder); OLD still reads. */
    static final String CURRENT = OLD.replace("\"server\":\"node-a\",", "\"server\":\"node-a\",\"ani\":\"" + KNOWN + "\",");

    /**
     * The same call's state as it came to the subflow node: older servers checkpointed there too (this code takes no
     * checkpoint as a call comes to a replayable node: subflow, set ...); the format is OLD's, key for key.
     */
    static final String CURRENT_AT_SUB = CURRENT
            .replace(",\"sub\",\"child/mark\"]", "]")
            .replace(",{\"flow\":\"child\",\"version\":\"8c57b4accde5\",\"node\":\"menu\",\"vars\":{\"level\":3},"
                    + "\"returnNode\":\"sub\"}]", "]");

    @Test
    void thisCodeWritesWhatTheOldCodeWrote() {
        Saved cp = new Saved(null);
        run(cp, "12345#,4321#,9876,123456#,say:rechnung,hangup");
        assertThat(cp.saves.getLast()).isEqualTo(CURRENT);
        // none as the call came to the subflow node or the child's set node: the call is at them for no time
        assertThat(cp.saves).doesNotContain(CURRENT_AT_SUB).noneMatch(s -> s.contains("\"node\":\"mark\""));
    }

    @Test
    void aCallResumedFromTheCheckpointBeforeTheReplayableNodesReachesTheSameState() {
        Saved cp = new Saved(CURRENT_AT_SUB);
        Transcript t = run(cp, "1");
        assertThat(t.summary().path()).containsExactly("who", "auth", "code", "ref", "why", "sub", "child/mark",
                "child/menu", "child/back", "bye");
        assertThat(cp.saves).anyMatch(s -> s.contains("\"vars\":{\"level\":3}"));
        assertThat(cp.saves).noneMatch(s -> s.contains("\"level\":4"));
    }

    @Test
    void noCheckpointIsTakenAsTheCallComesToItsHangupNode() {
        Saved cp = new Saved(CURRENT_AT_SUB);
        Transcript t = run(cp, "1");
        assertThat(t.summary().path()).endsWith("child/back", "bye");
        // the last is taken as the call comes to the child's menu, where it waits; "bye" sets IVR_OUTCOME and
        // IVR_STATUS and hangs up at once: a server lost there leaves the menu's checkpoint (FlowEngine.Run)
        assertThat(cp.saves.getLast()).contains("\"node\":\"menu\"");
        assertThat(cp.saves).noneMatch(s -> s.contains("\"node\":\"bye\""));
    }

    @Test
    void aCallCheckpointedByTheOldCodeResumesInItsSubflowWithEverythingItHad() {
        assertThat(OLD).doesNotContain("9876"); // the secret was never in it
        Saved cp = new Saved(OLD);
        Transcript t = run(cp, "1");
        String text = String.join("\n", t.lines());
        assertThat(text).doesNotContain("> who").contains("caller chose 1").contains("returns from child");
        assertThat(t.summary().path()).containsExactly("who", "auth", "code", "ref", "why", "sub", "child/mark",
                "child/menu", "child/back", "bye");
        assertThat(t.summary().inputs()).containsEntry("reference", "123456").containsEntry("reason", "billing")
                .doesNotContainKey("code");
        assertThat(t.summary().customer()).containsEntry("id", "c-1").containsEntry("name", "Anna Schmidt");
        assertThat(t.summary().auth()).containsEntry("status", "OK").containsEntry("ok", true);
        assertThat(t.summary().interaction().customerId()).isEqualTo("c-1");
        assertThat(t.summary().interaction().authOutcome()).isEqualTo("OK");
        assertThat(t.summary().interaction().start()).isEqualTo(AT);
    }

    @Test
    void theOldCheckpointReadsIntoEveryPartOfTheState() {
        StringBuilder why = new StringBuilder();
        CallState st = CallState.fromJson(OLD, info(), flows, why).orElseThrow(() -> new AssertionError(why));
        assertThat(st.resumedFrom).isEqualTo("node-a");
        assertThat(st.language).isEqualTo("de");
        assertThat(st.frame().flow.name()).isEqualTo("child");
        assertThat(st.frame().node).isEqualTo("menu");
        assertThat(st.frame().vars).containsEntry("level", 3L);
        assertThat(st.frame().returnNode).isEqualTo("sub");
        assertThat(st.activation()).containsKeys("call", "customer", "auth", "inputs", "level");
        assertThat(st.toJson("node-a")).isEqualTo(CURRENT);
    }
}
