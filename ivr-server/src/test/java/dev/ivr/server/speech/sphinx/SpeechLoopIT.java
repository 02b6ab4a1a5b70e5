package dev.ivr.server.speech.sphinx;

import dev.ivr.fakepbx.AudioSocketSession;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.speech.PhoneLine;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.server.tts.marytts.MaryTts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Speech with nothing simulated, in the default install: the real server (Sphinx4 on, its
 * bundled US English model, no Vosk model) runs the shipped customer-service flow; a caller
 * reaches the English main menu over the fake PBX and answers it by voice. What the caller says
 * is spoken by MaryTTS, mastered to 8 kHz, sent through G.711 mu-law as a phone line would, and
 * streamed by the fake PBX's AudioSocket client exactly as Asterisk sends it: 20 ms frames of
 * 8 kHz slin, 50 a second in real time. The server's end-of-speech detection cuts the utterance,
 * Sphinx4 recognises it against the menu's phrases, and the flow takes the option.
 */
@Tag("integration")
class SpeechLoopIT {
    static final Duration T = Duration.ofSeconds(120);
    @TempDir
    static Path dir;
    static IvrServer server;
    static FakePbx pbx;
    static MaryTts mary;

    @BeforeAll
    static void start() throws Exception {
        Path calendars = dir.resolve("calendars.yaml"); // open whenever the test runs
        Files.writeString(calendars, """
                calendars:
                  support:
                    time-zone: UTC
                    open:
                      mon-sun: "00:00-23:59"
                """);
        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of("IVR_SPEECH_SPHINX_ENABLED", "true",
                "IVR_SPEECH_SPHINX_DECODERS", "1", "IVR_FLOWS_CALENDARS", calendars.toString(),
                "IVR_CRM_PIN_HASH_MEMORY", "1024", "IVR_CRM_PIN_HASH_ITERATIONS", "1")));
        mary = MaryTts.start(ConfigLoader.load(Map.of()).tts());
        assertThat(mary.awaitReady(5, TimeUnit.MINUTES)).as("MaryTTS").isTrue();
        // the model loads in the background; until then menus take keys only
        await().atMost(Duration.ofMinutes(2)).until(() -> server.speech().modelStatus("en").available());
        pbx = new FakePbx("127.0.0.1", server.agiPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (mary != null) {
            mary.close();
        }
    }

    /** A phrase as it reaches Asterisk from a phone: MaryTTS, 8 kHz, mu-law, half a second of line either side. */
    static byte[] said(String text) {
        Pcm voice = Mastering.master(mary.synthesize(text, mary.voiceFor("en").orElseThrow()), 8000);
        return Wav.raw(PhoneLine.ulaw(Pcm.silence(8000, 500).append(voice).append(Pcm.silence(8000, 500))));
    }

    static Interaction interaction(String callId) {
        await().atMost(T).until(() -> server.crmQueries().interaction(callId).isPresent());
        return server.crmQueries().interaction(callId).orElseThrow();
    }

    @Test
    void sayingBillingAtTheMainMenuTakesOptionOne() {
        byte[] billing = said("billing");
        // an unknown number: welcome, the language menu (1: English), then the main menu listens
        FakeCall call = pbx.call("customer-service").callerId("+15550000001").audioPacing(Duration.ofMillis(20))
                .caller(Caller.script().press("1").speak(billing)).start();
        CallResult r = call.await(T);

        Interaction i = interaction(r.uniqueId());
        assertThat(i.path()).containsSubsequence("language-menu", "set-english", "main-menu", "billing", "verify");
        assertThat(i.inputs()).containsEntry("menu_choice", "1");
        assertThat(r.execs("AudioSocket")).hasSize(1);
        AudioSocketSession s = call.audioSocketSessions().get(0);
        assertThat(s.endedByServer()).as("the server heard the end of the utterance and ended the session").isTrue();
        assertThat(s.audioFramesSent()).as("all of the phrase went over the socket, in 20 ms frames (the server may"
                + " end the session during the half second of line after it)").isGreaterThanOrEqualTo((billing.length - 16 * 500) / 320);
    }

    @Test
    void sayingOperatorTakesOptionZero() {
        FakeCall call = pbx.call("customer-service").callerId("+15550000002").audioPacing(Duration.ofMillis(20))
                .caller(Caller.script().press("1").speak(said("representative")).dial(Caller.DialOutcome.BUSY)).start();
        CallResult r = call.await(T);
        Interaction i = interaction(r.uniqueId());
        assertThat(i.path()).containsSubsequence("main-menu", "operator");
        assertThat(i.inputs()).containsEntry("menu_choice", "0");
    }

    @Test
    void healthSaysWhichRecogniserServesEachLanguage() throws Exception {
        // the details of /health are for a token (without one it shows each component's status only)
        String token = Files.readString(dir.resolve("data").resolve("admin-token")).trim();
        HttpResponse<String> h = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h.body()).contains("en: sphinx (ready, 1 decoder(s), phrases only)");
    }
}
