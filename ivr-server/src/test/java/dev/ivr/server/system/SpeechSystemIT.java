package dev.ivr.server.system;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.testing.ToneRecognizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 9: speech input through Asterisk's AudioSocket. A real call runs a {@code listen}
 * node; the server sends {@code EXEC AudioSocket}, Asterisk connects to the server's AudioSocket
 * listener and streams the caller's audio (a word is a tone the test recognizer hears), and
 * what was recognised comes back into the flow and onto the channel.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class SpeechSystemIT {
    static final Duration CALL = Duration.ofSeconds(60);
    static SystemRig rig;
    static PrivateAsterisk asterisk;
    static IvrNode node;

    @BeforeAll
    static void start() {
        rig = new SystemRig(SpeechSystemIT.class);
        asterisk = rig.asterisk();
        asterisk.start();
        asterisk.cli("agi set debug on");
        node = rig.add(IvrNode.start(rig.dir, "node-a", asterisk.amiPort, "", Map.of(
                "IVR_TTS_ENABLED", "false",
                "IVR_FLOWS_DIR", Path.of("src/test/resources/flows-speech").toAbsolutePath().toString(),
                "IVR_SPEECH_NO_INPUT_TIMEOUT", "4s",
                "IVR_SPEECH_END_SILENCE", "500ms"), new ToneRecognizers(Set.of("en"))));
        asterisk.ivr(node.agiPort(), node.agiPort());
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }


    @Test
    void whatTheCallerSaysOnARealCallReachesTheRecognizerAndComesBackIntoTheFlow() {
        long mark = asterisk.logMark();
        LocalCall call = LocalCall.place(asterisk, "system-test-lines", "flow-listen", "3612345678", "Anna",
                LocalCall.Script.of().say(440).thenSilence());
        call.awaitEnd(CALL);
        Interaction i = node.interaction(call.callId);
        assertThat(i.path()).containsSubsequence("ask", "billing", "done");
        assertThat(i.inputs()).containsEntry("reason", "billing");
        String log = asterisk.logSince(mark);
        assertThat(log).contains("AGI Script Executing Application: (AudioSocket)");
        // Asterisk set what the flow heard on the caller's channel
        assertThat(log).contains("AGI Rx << SET VARIABLE \"SPOKEN\" \"billing\"");
        assertThat(asterisk.problemsSince(mark)).noneMatch(l -> l.contains("audiosocket"));
    }

    @Test
    void aWordOutsideThePhrasesIsNotUnderstoodAndTheCallerIsAskedAgain() {
        LocalCall call = LocalCall.place(asterisk, "system-test-lines", "flow-listen", "3612345678", "Anna",
                LocalCall.Script.of().say(ToneRecognizers.GARBLE).say(660).thenSilence());
        call.awaitEnd(CALL);
        Interaction i = node.interaction(call.callId);
        assertThat(i.path()).containsSubsequence("ask", "other", "done");
        assertThat(i.inputs()).containsEntry("reason", "support");
        assertThat(call.commandTexts().stream().filter(c -> c.startsWith("EXEC \"AudioSocket\"") || c.startsWith("EXEC AudioSocket")))
                .hasSize(2);
    }
}
