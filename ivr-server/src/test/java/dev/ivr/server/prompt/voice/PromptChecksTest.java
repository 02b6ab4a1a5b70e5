package dev.ivr.server.prompt.voice;

import dev.ivr.server.audio.Wav;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.render.FakeSynthesizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ivr.server.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;

class PromptChecksTest {
    @TempDir
    Path prompts;

    @Test
    void aLanguageWithoutAVoiceMustHaveRecordings() throws Exception {
        Files.createDirectories(prompts.resolve("en"));
        Files.writeString(prompts.resolve("en/main.yaml"), "welcome: Welcome.\n");
        Path hu = Files.createDirectories(prompts.resolve("hu/audio"));
        Files.write(hu.resolve("welcome.wav"), Wav.write(tone(300, 8000, 0.3, 0.2)));
        Files.writeString(prompts.resolve("hu/main.yaml"), """
                welcome:
                  audio: audio/welcome.wav
                  text: Üdvözöljük.
                goodbye: Viszontlátásra.
                beep:
                  sound: beep
                """);
        PromptCatalog catalog = PromptCatalog.load(prompts);
        List<String> problems = PromptChecks.missingRecordings(catalog, new FakeSynthesizer(Map.of("en", "v"))::voiceFor);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith(prompts.resolve("hu/main.yaml") + ":4:1: prompt 'goodbye' (hu) has a text but no recording");
        // and the number segments CLDR's Hungarian rules need, until they are recorded
        assertThat(problems.get(1)).startsWith(prompts.resolve("hu") + ": numbers, amounts, dates and times in hu need 118 recorded")
                .contains("say.n.0", "say.n.1000");

        // with a voice for Hungarian nothing is missing
        assertThat(PromptChecks.missingRecordings(catalog, new FakeSynthesizer(Map.of("en", "v", "hu", "v-hu"))::voiceFor)).isEmpty();
    }
}
