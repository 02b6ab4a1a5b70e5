package dev.ivr.server.speech;

import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.AudioSocketSession;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.net.Cidr;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.speech.audiosocket.AudioSocketServer;
import dev.ivr.server.speech.audiosocket.SpeechService;
import dev.ivr.server.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speech input end to end over real sockets: a FastAGI call from the fake PBX runs a script
 * that listens; the server sends EXEC AudioSocket, the fake PBX connects to the AudioSocket
 * listener and streams the scripted caller's audio, keys or hang-up, as Asterisk 20 does.
 */
@Tag("integration")
class SpeechOverAgiIT {
    @TempDir
    static Path data;
    static Vertx vertx;
    static AudioSocketServer audioSocket;
    static SpeechService speech;
    static AgiListener agi;
    static FakePbx pbx;
    static final FakeRecognizers RECOGNIZERS = new FakeRecognizers(Map.of("en", "sales"), 1000);

    @BeforeAll
    static void start() throws Exception {
        IvrConfig config = TestConfigs.server(data, Map.of("IVR_SPEECH_NO_INPUT_TIMEOUT", "2s",
                "IVR_SPEECH_END_SILENCE", "500ms"));
        vertx = Vertx.vertx();
        audioSocket = AudioSocketServer.start(vertx, "127.0.0.1", 0, Cidr.parseAll(List.of("127.0.0.1/32")), 10);
        speech = new SpeechService(config.speech(), audioSocket, RECOGNIZERS, "127.0.0.1:" + audioSocket.port(),
                new SimpleMeterRegistry());
        // what a listen node will do: listen, and hand the outcome to the dialplan
        CallHandler listen = channel -> {
            channel.answer();
            String lang = channel.info().args().isEmpty() ? "en" : channel.info().args().get(0);
            ListenResult r = speech.listen(channel, ListenRequest.phrases(lang, List.of("sales", "support"), "12"));
            channel.setVariable("SPEECH_OUTCOME", r.outcome().name());
            channel.setVariable("SPEECH_TEXT", r.text() + r.key());
            channel.hangup();
        };
        agi = new AgiListener(config.agi(), "speech-test", ScriptResolvers.fixed(Map.of("listen", listen)),
                new SimpleMeterRegistry());
        agi.start();
        pbx = new FakePbx("127.0.0.1", agi.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (agi != null) {
            agi.stopAccepting();
            agi.drain(Duration.ofSeconds(5));
        }
        speech.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void whatTheCallerSaysComesBackAsTheMatchingPhrase() {
        byte[] said = Speech.concat(Speech.silence(300), Speech.word(700), Speech.silence(1500));
        FakeCall call = pbx.call("listen").caller(Caller.script().speak(said)).start();
        CallResult r = call.await(Duration.ofSeconds(30));
        assertThat(r.variable("SPEECH_OUTCOME")).isEqualTo("SPEECH");
        assertThat(r.variable("SPEECH_TEXT")).isEqualTo("sales");
        String arg = r.execs("AudioSocket").get(0).arg(1, "");
        assertThat(arg).matches("[0-9a-f-]{36}," + "127\\.0\\.0\\.1:" + audioSocket.port());
        AudioSocketSession s = call.audioSocketSessions().get(0);
        assertThat(s.uuid().toString()).isEqualTo(arg.substring(0, 36));
        assertThat(s.endedByServer()).isTrue();
        assertThat(s.audioFramesFromServer()).isPositive(); // silence kept the line alive
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.HANGUP);
    }

    @Test
    void keysStillWorkWhileListening() {
        CallResult r = pbx.call("listen").caller(Caller.script().press("2")).run(Duration.ofSeconds(30));
        assertThat(r.variable("SPEECH_OUTCOME")).isEqualTo("KEY");
        assertThat(r.variable("SPEECH_TEXT")).isEqualTo("2");
    }

    @Test
    void silenceIsNoInput() {
        CallResult r = pbx.call("listen").caller(Caller.script().silence()).run(Duration.ofSeconds(30));
        assertThat(r.variable("SPEECH_OUTCOME")).isEqualTo("NO_INPUT");
    }

    @Test
    void hangingUpWhileListeningEndsTheCall() {
        CallResult r = pbx.call("listen").caller(Caller.script().hangUp()).run(Duration.ofSeconds(30));
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        assertThat(r.variable("SPEECH_OUTCOME")).isNull(); // the script stopped at the hang-up
        assertThat(r.execs("AudioSocket")).hasSize(1);
    }

    @Test
    void aLanguageWithoutAModelIsAnErrorWithoutAskingAsterisk() {
        CallResult r = pbx.call("listen").args("de").caller(Caller.script()).run(Duration.ofSeconds(30));
        assertThat(r.variable("SPEECH_OUTCOME")).isEqualTo("ERROR");
        assertThat(r.execs("AudioSocket")).isEmpty();
        assertThat(speech.modelStatus("de").detail()).isEqualTo("no model for de");
    }
}
