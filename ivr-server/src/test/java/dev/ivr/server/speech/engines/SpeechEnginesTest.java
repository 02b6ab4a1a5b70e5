package dev.ivr.server.speech.engines;

import dev.ivr.server.config.SpeechConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which recogniser serves which language, by configuration alone. */
class SpeechEnginesTest {
    @TempDir
    Path data;

    SpeechConfig config(Map<String, String> env) {
        Map<String, String> e = new java.util.HashMap<>(Map.of("IVR_SPEECH_SPHINX_ENABLED", "true"));
        e.putAll(env);
        return TestConfigs.server(data, e).speech();
    }

    Path vosk(String name) throws Exception {
        Path dir = data.resolve(name);
        Files.createDirectories(dir.resolve("am"));
        Files.writeString(dir.resolve("am/final.mdl"), "not a real model");
        return dir;
    }

    @Test
    void englishIsSphinxOutOfTheBoxAndOtherLanguagesHaveNone() {
        SpeechConfig c = config(Map.of());
        assertThat(SpeechEngines.plan(c)).containsExactly(Map.entry("en", "sphinx"));
        assertThat(SpeechEngines.engineFor(c, "en-GB")).isEqualTo("sphinx");
        assertThat(SpeechEngines.engineFor(c, "hu")).isNull();
        SpeechModels models = SpeechEngines.models(c);
        RecognizerFactory.ModelStatus en = models.status("en");
        assertThat(en.available()).isTrue();
        assertThat(en.freeText()).isFalse();
        assertThat(en.detail()).contains("Sphinx4", "phrases only");
        assertThat(models.status("hu").available()).isFalse();
        assertThat(models.status("hu").detail()).contains("speech.models.hu");
    }

    @Test
    void voskWhereAModelIsInstalledSphinxWhereConfigured() throws Exception {
        Path en = vosk("vosk-en");
        Path de = vosk("vosk-de");
        SpeechConfig c = config(Map.of("IVR_SPEECH_MODELS", "en=" + en + ",de=" + de));
        assertThat(SpeechEngines.plan(c)).containsExactly(Map.entry("de", "vosk"), Map.entry("en", "vosk"));
        RecognizerFactory.ModelStatus st = SpeechEngines.models(c).status("en");
        assertThat(st.available()).isTrue();
        assertThat(st.freeText()).isTrue();

        SpeechConfig chosen = config(Map.of("IVR_SPEECH_MODELS", "en=" + en, "IVR_SPEECH_ENGINES", "en=sphinx"));
        assertThat(SpeechEngines.engineFor(chosen, "en")).isEqualTo("sphinx");
        assertThat(SpeechEngines.models(chosen).status("en").freeText()).isFalse();
    }

    @Test
    void sphinxOffLeavesEnglishWithoutARecogniser() {
        SpeechConfig c = config(Map.of("IVR_SPEECH_SPHINX_ENABLED", "false"));
        assertThat(SpeechEngines.plan(c)).isEmpty();
        assertThat(SpeechEngines.models(c).status("en").available()).isFalse();
        try (SpeechEngines engines = SpeechEngines.start(c)) {
            assertThat(engines.health()).isEqualTo(Health.up("no recogniser configured: menus take keys only"));
            assertThatThrownBy(() -> engines.open("en", List.of("billing")))
                    .isInstanceOf(RecognizerFactory.SpeechUnavailableException.class).hasMessageContaining("no recogniser for 'en'");
        }
    }

    @Test
    void sphinxForALanguageItHasNoModelForIsReportedNotGuessed() {
        SpeechConfig c = config(Map.of("IVR_SPEECH_ENGINES", "de=sphinx"));
        RecognizerFactory.ModelStatus de = SpeechEngines.models(c).status("de");
        assertThat(de.available()).isFalse();
        assertThat(de.detail()).contains("Sphinx4 has no model for de");
    }
}
