package dev.ivr.server.flow;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ivr.server.cli.IvrCli;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.NoCrmStore;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.FlowGraph;
import dev.ivr.server.flow.tools.FlowTests;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listen nodes and menus with speech: validation against speech models, the simulator, flow tests, graphs. */
class SpeechFlowsTest {
    static final Path DIR = Path.of("src/test/resources/flows-speech");
    static final Path PROMPTS = Path.of("../prompts");
    static final Path CALENDARS = Path.of("../config/calendars.yaml");

    static FlowLoader.Loaded load(Path dir, SpeechModels speech) {
        return FlowLoader.load(new FlowLoader.Sources(dir, PROMPTS, CALENDARS, speech));
    }

    static List<String> problems(Path dir, SpeechModels speech) {
        return load(dir, speech).allProblems().stream().map(Problem::toString).toList();
    }

    /** A directory that looks like a Vosk model (what the check looks for: am/final.mdl). */
    static Path model(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("am"));
        Files.writeString(dir.resolve("am/final.mdl"), "not a real model");
        return dir;
    }

    static SpeechModels fromConfig(Path data, Map<String, String> env) {
        return dev.ivr.server.speech.engines.SpeechEngines.models(TestConfigs.server(data, env).speech());
    }

    @Test
    void aListenNodeNeedsAModelAndAMenuWithoutOneTakesKeysOnly(@TempDir Path data) throws Exception {
        // TestConfigs turns Sphinx4 off: no recogniser at all
        assertThat(problems(DIR, fromConfig(data, Map.of()))).containsExactly(
                DIR + "/listen.yaml:5:3: listen 'ask' cannot listen in en: no recogniser for 'en': no Vosk model "
                        + "(set speech.models.en to a model directory), and Sphinx4 is off (speech.sphinx.enabled: false)",
                DIR + "/speech-menu.yaml:15:5: note: menu 'menu' takes keys only in en here: no recogniser for 'en': no Vosk "
                        + "model (set speech.models.en to a model directory), and Sphinx4 is off (speech.sphinx.enabled: false)",
                DIR + "/speech-menu.yaml:15:5: note: menu 'menu' takes keys only in es here: no recogniser for 'es': no Vosk "
                        + "model (set speech.models.es to a model directory), and Sphinx4 ships a US English model only");
        var loaded = load(DIR, fromConfig(data, Map.of()));
        assertThat(loaded.flows().get("listen").ok()).isFalse();
        assertThat(loaded.flows().get("speech-menu").ok()).isTrue();

        Path en = model(data.resolve("vosk-en"));
        assertThat(problems(DIR, fromConfig(data, Map.of("IVR_SPEECH_MODELS", "en=" + en)))).containsExactly(
                DIR + "/speech-menu.yaml:15:5: note: menu 'menu' takes keys only in es here: no recogniser for 'es': no Vosk "
                        + "model (set speech.models.es to a model directory), and Sphinx4 ships a US English model only");

        assertThat(problems(DIR, fromConfig(data, Map.of("IVR_SPEECH_MODELS", "en=" + data.resolve("missing")))))
                .contains(DIR + "/listen.yaml:5:3: listen 'ask' cannot listen in en: speech.models.en: "
                        + data.resolve("missing") + " is not a directory");
        assertThat(problems(DIR, fromConfig(data, Map.of("IVR_SPEECH_MODELS", "en=" + en, "IVR_SPEECH_ENABLED", "false"))))
                .contains(DIR + "/listen.yaml:5:3: listen 'ask' cannot listen in en: speech input is disabled "
                        + "(speech.enabled: false)");
    }

    @Test
    void withSphinxEnglishPhrasesAreHeardOutOfTheBoxButFreeTextNeedsVosk(@TempDir Path data) throws Exception {
        Map<String, String> sphinx = Map.of("IVR_SPEECH_SPHINX_ENABLED", "true");
        assertThat(problems(DIR, fromConfig(data, sphinx))).containsExactly(
                DIR + "/speech-menu.yaml:15:5: note: menu 'menu' takes keys only in es here: no recogniser for 'es': no Vosk "
                        + "model (set speech.models.es to a model directory), and Sphinx4 ships a US English model only");
        Path free = Files.createDirectories(data.resolve("free"));
        Files.writeString(free.resolve("free.yaml"), """
                start: ask
                nodes:
                  ask:
                    type: listen
                    text: Tell me what you need.
                    into: need
                    no-input: {text: 'Sorry, I did not hear you.'}
                    no-match: {text: 'Sorry, I did not understand.'}
                    fallback: done
                    next: done
                  done:
                    type: hangup
                """);
        assertThat(problems(free, fromConfig(data, sphinx))).containsExactly(free + "/free.yaml:3:3: listen 'ask' takes "
                + "free text, which cannot be recognised in en here (Sphinx4 US English (CMU Sphinx en-us, bundled), "
                + "phrases only): give it phrases, or a Vosk model (speech.models.en)");
        Path en = model(data.resolve("vosk-en"));
        assertThat(problems(free, fromConfig(data, Map.of("IVR_SPEECH_SPHINX_ENABLED", "true", "IVR_SPEECH_MODELS", "en=" + en))))
                .isEmpty();
        // a phrase with a word Sphinx4's dictionary lacks can never be heard: validation says which word
        Path odd = Files.createDirectories(data.resolve("odd"));
        Files.writeString(odd.resolve("odd.yaml"), """
                start: menu
                nodes:
                  menu:
                    type: menu
                    text: Press 1 or say billing.
                    options: {"1": done}
                    fallback: done
                    speech:
                      phrases:
                        en: {"1": [billing, zorblax account]}
                  done:
                    type: hangup
                """);
        assertThat(problems(odd, fromConfig(data, sphinx))).contains(odd + "/odd.yaml:8:5: warning: menu 'menu': Sphinx4 "
                + "cannot recognise 'zorblax account' in English: its dictionary has no 'zorblax'");
    }

    @Test
    void theServerRefusesAListenFlowWithoutAModelAndServesTheRest(@TempDir Path data) {
        // what IvrServer does: the repository checks flows against the configured models
        try (FlowRepository repo = FlowRepository.open(new FlowLoader.Sources(DIR, PROMPTS, CALENDARS,
                fromConfig(data, Map.of())), Clock.systemUTC())) {
            assertThat(repo.flow("listen")).isEmpty();
            assertThat(repo.status("listen").orElseThrow().lastError()).contains("listen.yaml:5:3: listen 'ask' cannot listen in en");
            assertThat(repo.flow("speech-menu")).isPresent();
        }
    }

    @Test
    void validateChecksModelsFromTheConfigurationWithoutAServer(@TempDir Path data) throws Exception {
        Path en = model(data.resolve("vosk-en"));
        Path without = data.resolve("without.yaml");
        Files.writeString(without, "speech:\n  models: {}\n  sphinx: {enabled: false}\n");
        Path with = data.resolve("with.yaml");
        Files.writeString(with, "speech:\n  models:\n    en: " + en + "\n");
        String[] common = {"--flows", DIR.toString(), "--prompts", PROMPTS.toString(), "--calendars", CALENDARS.toString()};

        Output failed = validate(without, common);
        assertThat(failed.code).isEqualTo(1);
        assertThat(failed.out).contains(DIR + "/listen.yaml:5:3: listen 'ask' cannot listen in en: no recogniser for 'en'");

        Path defaults = data.resolve("defaults.yaml"); // the default install: Sphinx4's bundled English
        Files.writeString(defaults, "speech:\n  models: {}\n");
        Output sphinx = validate(defaults, common);
        assertThat(sphinx.code).isZero();
        assertThat(sphinx.out).doesNotContain("listen.yaml");

        Output passed = validate(with, common);
        assertThat(passed.code).isZero();
        assertThat(passed.out).doesNotContain("listen.yaml").contains("note: menu 'menu' takes keys only in es");
    }

    record Output(int code, String out) {
    }

    static Output validate(Path config, String... more) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            String[] args = new String[more.length + 4];
            args[0] = "validate";
            args[1] = "--strict";
            args[2] = "--config";
            args[3] = config.toString();
            System.arraycopy(more, 0, args, 4, more.length);
            int code = IvrCli.execute(args);
            return new Output(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            root.setLevel(level); // the tools quieten logging
        }
    }

    @Test
    void badPhrasesAndMissingBranchesAreReportedWhereTheyAre(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                start: ask
                languages: [en, es]
                nodes:
                  ask:
                    type: listen
                    phrases:
                      en: {yes: [yes, sure], no: [no, "Sure!"]}
                      de: [ja]
                    options: {maybe: menu}
                    fallback: menu
                  menu:
                    type: menu
                    text: Press 1.
                    options: {"1": done}
                    fallback: done
                    no-input: {next: done}
                    invalid: {next: done}
                    speech:
                      phrases:
                        en: {"1": one, "2": two}
                  done:
                    type: hangup
                """);
        String f = dir.resolve("bad.yaml") + ":";
        assertThat(problems(dir, SpeechModels.SIMULATED)).containsExactly(
                f + "4:3: warning: listen 'ask' has no 'no-input' branch: a caller who says nothing hears the same prompt "
                        + "again with no help",
                f + "4:3: warning: listen 'ask' has no 'no-match' branch: a caller who is not understood is not told so",
                f + "4:3: listen 'ask' needs 'next': where a recognised answer goes when its value has no option",
                f + "6:5: listen 'ask' has no phrases for es (a language of this flow)",
                f + "7:39: the phrase 'Sure!' (en) stands for both 'yes' and 'no'",
                f + "8:7: phrases for de, which is not a language of this flow (languages: en, es)",
                f + "9:15: listen 'ask': option 'maybe' is not the value of any phrase",
                f + "18:5: note: menu 'menu' has no speech phrases for es: callers in es use keys only",
                f + "20:24: menu 'menu': phrases for key '2', which is not an option of the menu");
    }

    static Transcript simulate(String script, boolean speech) {
        return Simulation.run(load(DIR, SpeechModels.SIMULATED).flowSet(), new Simulation.Call("listen", "+3612345678",
                "1000", "en", List.of(), Instant.parse("2025-06-02T08:00:00Z"), CallerSteps.parse(script), null,
                new ScriptedCrm(List.of(), false), null, speech), x -> { });
    }

    @Test
    void theSimulatorHearsWhatTheScriptSays() {
        assertThat(simulate("mumble,say:my invoice@0.8", true).lines()).containsExactly(
                "call from +3612345678 to 1000 (en) at 2025-06-02T08:00:00Z, flow listen",
                "> ask (listen, listen)",
                "  IVR: What are you calling about?",
                "  caller mumbles",
                "  not understood (nothing recognised)",
                "  IVR: Sorry, I did not understand.",
                "  IVR: What are you calling about?",
                "  caller says “my invoice”",
                "  caller said “my invoice” (80%): billing",
                "> billing (set, listen)",
                "> done (hangup, listen)",
                "  hangs up",
                "= outcome SELF_SERVED",
                "= path ask > billing > done",
                "= variables {reason=billing}",
                "= inputs {reason=billing}");
        assertThat(simulate("say:billing@0.3,0", true).summary().path()).containsExactly("ask", "operator", "done");
        assertThat(simulate("silence", true).summary().path()).containsExactly("ask", "silent", "done");
        assertThat(simulate("say:billing", false).lines()).contains("  speech unavailable (speech is off in this simulation)");
        assertThat(simulate("hangup", true).summary().interaction().outcome().name()).isEqualTo("ABANDONED_IN_IVR");
    }

    @Test
    void anAnswerSurvivesACheckpointAndResume(@TempDir Path tmp) throws Exception {
        // listen.yaml with a goodbye said at "done" before the hangup: the call waits there, so the checkpoint after
        // the answer is taken as the call comes to it (none is taken as a call comes to a hangup node)
        String listen = Files.readString(DIR.resolve("listen.yaml"));
        String hangup = "  done:\n    type: hangup\n";
        assertThat(listen).endsWith(hangup);
        Files.writeString(tmp.resolve("listen.yaml"), listen.replace(hangup,
                "  done:\n    type: say\n    text: Thank you, goodbye.\n    next: bye\n  bye:\n    type: hangup\n"));
        var set = load(tmp, SpeechModels.SIMULATED).flowSet();
        CallInfo info = new CallInfo("resume-1", "listen", Map.of(), List.of(), "+3612345678", "", "1000",
                "PJSIP/1-1", "en", "from-pbx", "1000", "127.0.0.1");
        // the first server checkpoints at the start, then after "ask" (the answer is in) as the call comes to "done"
        // ("billing" is a set node, replayable: no checkpoint as the call comes to it), and dies there
        Map<String, String> saved = new java.util.HashMap<>();
        int[] saves = {0};
        Checkpoints dying = new Checkpoints() {
            @Override
            public void save(String callId, String state) {
                if (saves[0]++ == 0) {
                    return; // the checkpoint at the call's start
                }
                saved.putIfAbsent(callId, state);
                throw new IllegalStateException("server dies");
            }

            @Override
            public Optional<String> load(String callId) {
                return Optional.empty();
            }

            @Override
            public void delete(String callId) {
            }
        };
        SimulatedChannel first = new SimulatedChannel(info, CallerSteps.parse("say:my invoice@0.75"), null, x -> { });
        assertThatThrownBy(() -> new FlowEngine(() -> set, new TranscriptAudio(), new NoCrmStore(), CallRouter.NONE, dying,
                Clock.systemUTC(), "a", first.speech(true)).run(first, "listen")).hasMessage("server dies");
        assertThat(saved.get("resume-1")).contains("\"node\":\"done\"").contains("\"path\":[\"ask\",\"billing\"]")
                .contains("\"text\":\"my invoice\"").contains("\"confidence\":0.75");
        assertThat(first.variables()).containsEntry("SPOKEN", "my invoice").containsEntry("CONFIDENCE", "0.75");
        List<String> resumedSaves = new java.util.ArrayList<>();

        Checkpoints resume = new Checkpoints() {
            @Override
            public void save(String callId, String state) {
                resumedSaves.add(state);
            }

            @Override
            public Optional<String> load(String callId) {
                return Optional.ofNullable(saved.get(callId));
            }

            @Override
            public void delete(String callId) {
            }
        };
        SimulatedChannel second = new SimulatedChannel(info, List.of(), null, x -> { });
        var summary = new FlowEngine(() -> set, new TranscriptAudio(), new NoCrmStore(), CallRouter.NONE, resume, Clock.systemUTC(),
                "b", second.speech(true)).run(second, "listen");
        assertThat(summary.variables()).containsEntry("reason", "billing");
        assertThat(summary.inputs()).containsEntry("reason", "billing");
        // the answer (text, confidence) is in the state the resuming server holds and checkpoints
        assertThat(resumedSaves).isNotEmpty().allSatisfy(st -> assertThat(st).contains("\"text\":\"my invoice\"")
                .contains("\"confidence\":0.75").contains("\"server\":\"b\""));
    }

    @Test
    void flowTestsTakeSpeechStepsAndGraphsLabelWhatWasSaid() throws Exception {
        var set = load(DIR, SpeechModels.SIMULATED).flowSet();
        FlowTests.Report r = FlowTests.run(set, List.of(DIR.resolve("speech.test.yaml")), x -> { });
        assertThat(r.errors()).isEmpty();
        assertThat(r.cases()).hasSize(4).allSatisfy(c -> assertThat(c.failures()).as(c.name()).isEmpty());

        String mermaid = FlowGraph.mermaid(set.flow("listen").orElseThrow());
        assertThat(mermaid).contains("|\"“billing”\"|", "|\"other phrase\"|", "|\"key 0\"|", "-.->|\"no speech\"|");
        assertThat(FlowGraph.mermaid(set.flow("speech-menu").orElseThrow())).contains("|\"key 1 or “billing”\"|");
    }
}
