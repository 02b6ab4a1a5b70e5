package dev.ivr.server.speech.vosk;

import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VoskRecognizersTest {
    @TempDir
    Path dir;

    @Test
    void missingOrWrongModelsAreClearErrorsNotCrashes() throws Exception {
        Path notAModel = Files.createDirectories(dir.resolve("empty"));
        VoskRecognizers vosk = new VoskRecognizers(Map.of("en", dir.resolve("nowhere"), "de", notAModel));

        assertThat(vosk.status("fr").available()).isFalse();
        assertThat(vosk.status("fr").detail()).isEqualTo(
                "no Vosk model configured for language 'fr' (set speech.models.fr to a model directory)");
        assertThat(vosk.status("en-US").detail()).isEqualTo("speech.models.en: " + dir.resolve("nowhere") + " is not a directory");
        assertThat(vosk.status("de").detail()).contains("does not look like a Vosk model (no am/final.mdl)");
        assertThatThrownBy(() -> vosk.open("de", List.of("ja", "nein")))
                .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class)
                .hasMessageContaining("does not look like a Vosk model");
    }

    @Test
    void aBrokenModelIsReportedWhenVoskRejectsIt() throws Exception {
        // looks like a model, but its files are garbage: Vosk's loader must fail cleanly
        Path broken = Files.createDirectories(dir.resolve("broken/am"));
        Files.writeString(broken.resolve("final.mdl"), "not a model");
        VoskRecognizers vosk = new VoskRecognizers(Map.of("en", dir.resolve("broken")));
        assertThat(vosk.status("en").available()).isTrue(); // not tried yet
        assertThatThrownBy(() -> vosk.open("en", List.of()))
                .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class)
                .hasMessageContaining("Vosk could not load the model in " + dir.resolve("broken"));
        assertThat(vosk.status("en").available()).isFalse();
        assertThat(vosk.status("en").detail()).contains("Vosk could not load the model");
    }

    @Test
    void grammarAndResults() {
        assertThat(VoskRecognizers.grammar(List.of("Sales", "Technical support"))).isEqualTo("[\"sales\",\"technical support\",\"[unk]\"]");
        Recognizer.Recognition r = VoskRecognizers.parse("""
                {"result": [{"conf": 1.0, "end": 1.2, "start": 0.9, "word": "technical"},
                            {"conf": 0.8, "end": 1.5, "start": 1.2, "word": "support"}],
                 "text": "technical support"}""");
        assertThat(r.text()).isEqualTo("technical support");
        assertThat(r.confidence()).isCloseTo(0.9, within(1e-9));
        assertThat(VoskRecognizers.parse("{\"text\": \"\"}").isEmpty()).isTrue();
        assertThat(VoskRecognizers.parse("garbage").isEmpty()).isTrue();
    }
}
