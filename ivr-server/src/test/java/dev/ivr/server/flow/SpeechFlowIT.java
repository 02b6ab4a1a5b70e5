package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.net.Cidr;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.speech.audiosocket.AudioSocketServer;
import dev.ivr.server.speech.audiosocket.SpeechService;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.server.testing.ToneRecognizers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listen nodes and menus with speech, end to end: the fake PBX calls over FastAGI, the engine
 * sends EXEC AudioSocket, the fake PBX streams the caller's audio (or keys, or a hang-up) to the
 * real AudioSocket listener like Asterisk, and a test recognizer hears words from the audio.
 */
@Tag("integration")
class SpeechFlowIT {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    static Path data;
    static Vertx vertx;
    static SpeechService speech;
    static FlowHarness h;
    static final ScriptedCrm CRM = new ScriptedCrm(List.of(), false);

    @BeforeAll
    static void start() throws Exception {
        IvrConfig config = TestConfigs.server(data, Map.of("IVR_SPEECH_NO_INPUT_TIMEOUT", "2s",
                "IVR_SPEECH_END_SILENCE", "500ms"));
        vertx = Vertx.vertx();
        AudioSocketServer audioSocket = AudioSocketServer.start(vertx, "127.0.0.1", 0,
                Cidr.parseAll(List.of("127.0.0.1/32")), 20);
        speech = new SpeechService(config.speech(), audioSocket, new ToneRecognizers(Set.of("en")),
                "127.0.0.1:" + audioSocket.port(), new SimpleMeterRegistry());
        h = new FlowHarness(Path.of("src/test/resources/flows-speech"), Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), Clock.fixed(Instant.parse("2025-06-02T08:00:00Z"), ZoneOffset.UTC),
                CRM, null, Checkpoints.NONE, false, speech);
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
        speech.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Interaction interaction(String callId) {
        await().atMost(T).until(() -> CRM.recorded().stream().anyMatch(i -> i.callId().equals(callId)));
        return CRM.recorded().stream().filter(i -> i.callId().equals(callId)).findFirst().orElseThrow();
    }

    @Test
    void theFlowsAreServedBecauseEnglishHasAModel() {
        assertThat(h.repository.status("listen").orElseThrow().state()).isEqualTo("ok");
        assertThat(h.repository.status("speech-menu").orElseThrow().problems()).extracting(Problem::toString)
                .containsExactly("src/test/resources/flows-speech/speech-menu.yaml:15:5: note: menu 'menu' takes keys "
                        + "only in es here: no model for es");
    }

    @Test
    void whatTheCallerSaysPicksTheBranchAndIsKeptWithItsConfidence() {
        CallResult r = h.pbx.call("listen").caller(Caller.script().speak(ToneRecognizers.say("billing"))).run(T);
        assertThat(r.variable("SPOKEN")).isEqualTo("billing");
        assertThat(r.variable("CONFIDENCE")).isEqualTo("0.92");
        assertThat(r.execs("AudioSocket")).hasSize(1);
        Interaction i = interaction(r.uniqueId());
        assertThat(i.path()).containsExactly("ask", "billing", "done");
        assertThat(i.inputs()).containsEntry("reason", "billing");
    }

    @Test
    void aValueWithoutAnOptionGoesToNext() {
        CallResult r = h.pbx.call("listen").caller(Caller.script().speak(ToneRecognizers.say("sales"))).run(T);
        assertThat(interaction(r.uniqueId()).path()).containsExactly("ask", "other", "done");
        assertThat(r.variable("SPOKEN")).isEqualTo("sales");
    }

    @Test
    void sayingNothingTakesTheNoInputBranch() {
        FakeCall call = h.pbx.call("listen").caller(Caller.script().silence()).start();
        CallResult r = call.await(T);
        assertThat(r.variable("BRANCH")).isEqualTo("silent");
        assertThat(call.audioSocketSessions()).singleElement().satisfies(s -> assertThat(s.endedByServer()).isTrue());
    }

    @Test
    void aKeyPressedWhileListeningTakesTheKeyBranch() {
        CallResult r = h.pbx.call("listen").caller(Caller.script().press("0")).run(T);
        assertThat(r.variable("BRANCH")).isEqualTo("operator");
        assertThat(r.execs("AudioSocket")).hasSize(1); // the key came as a DTMF frame on the AudioSocket
    }

    @Test
    void garbleIsNotUnderstoodThenRetriedThenTheFallback() {
        CallResult r = h.pbx.call("listen").caller(Caller.script().speak(ToneRecognizers.garble())
                .speak(ToneRecognizers.garble())).run(T);
        assertThat(r.variable("BRANCH")).isEqualTo("operator");
        assertThat(r.execs("AudioSocket")).hasSize(2);
        assertThat(r.commands("STREAM FILE")).extracting(c -> c.arg(0, "")).containsExactly(
                "tts/What_are_you_calling_about_", "tts/Sorry_I_did_not_understand_", "tts/What_are_you_calling_about_");
        assertThat(interaction(r.uniqueId()).path()).containsExactly("ask", "operator", "done");
    }

    @Test
    void hangingUpWhileListeningAbandonsTheCall() {
        CallResult r = h.pbx.call("listen").caller(Caller.script().hangUp()).run(T);
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        Interaction i = interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ABANDONED_IN_IVR);
        assertThat(i.path()).containsExactly("ask");
    }

    @Test
    void aMenuTakesAPhraseOrAKeyWhileListening() {
        CallResult said = h.pbx.call("speech-menu").caller(Caller.script().speak(ToneRecognizers.say("support"))).run(T);
        assertThat(said.variable("BRANCH")).isEqualTo("support");
        assertThat(interaction(said.uniqueId()).inputs()).containsEntry("choice", "2");

        CallResult pressed = h.pbx.call("speech-menu").caller(Caller.script().press("1")).run(T);
        assertThat(pressed.variable("BRANCH")).isEqualTo("billing");
        assertThat(pressed.execs("AudioSocket")).hasSize(1);
    }

    @Test
    void aMenuInALanguageWithoutAModelTakesKeysWithoutAskingForAudio() {
        CallResult r = h.pbx.call("speech-menu").language("es").caller(Caller.script().press("2")).run(T);
        assertThat(r.variable("BRANCH")).isEqualTo("support");
        assertThat(r.execs("AudioSocket")).isEmpty();
        assertThat(r.commandNames()).contains("WAIT FOR DIGIT");
    }
}
