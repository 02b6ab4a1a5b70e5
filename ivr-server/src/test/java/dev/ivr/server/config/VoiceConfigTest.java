package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prompts, tts and speech sections: defaults, maps from environment variables, validation. */
class VoiceConfigTest {

    @Test
    void defaultsAreUsable() {
        IvrConfig c = ConfigLoader.load(Map.of());
        assertThat(c.prompts().formats()).containsExactly("wav", "sln16");
        assertThat(c.prompts().delivery()).isEqualTo("directory");
        assertThat(c.prompts().cacheDir(Path.of("/var/lib/ivr"))).isEqualTo(Path.of("/var/lib/ivr/prompt-cache"));
        assertThat(c.speech().enabled()).isTrue();
        assertThat(c.speech().models()).isEmpty();
        assertThat(c.tts().voices()).isEmpty();
    }

    @Test
    void mapsComeFromEnvironmentVariablesAsKeyValuePairs() {
        IvrConfig c = ConfigLoader.load(Map.of("IVR_SPEECH_MODELS", "en=/opt/vosk/en, de=/opt/vosk/de",
                "IVR_TTS_VOICES", "de=bits1-hsmm"));
        assertThat(c.speech().models()).containsEntry("en", Path.of("/opt/vosk/en")).containsEntry("de", Path.of("/opt/vosk/de"));
        assertThat(c.tts().voices()).containsExactly(Map.entry("de", "bits1-hsmm"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IVR_SPEECH_MODELS", "/opt/vosk/en")))
                .hasMessageContaining("IVR_SPEECH_MODELS: write entries as key=value");
    }

    @Test
    void badValuesAreReportedByKey() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(
                "IVR_PROMPTS_DELIVERY", "ftp",
                "IVR_PROMPTS_FORMATS", "wav,mp3",
                "IVR_PROMPTS_ASTERISK_DIR", "relative/dir",
                "IVR_SPEECH_BIND", "0.0.0.0",
                "IVR_SPEECH_SPEECH_LEVEL", "1")))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p)
                                .contains("prompts.delivery: must be directory or http (got ftp)"))
                        .anySatisfy(p -> assertThat(p).contains("prompts.formats[1]: 'mp3' is not a format"))
                        .anySatisfy(p -> assertThat(p).contains("prompts.asterisk-dir: must be an absolute path"))
                        .anySatisfy(p -> assertThat(p).contains("speech.advertise: must be set when bind is 0.0.0.0"))
                        .anySatisfy(p -> assertThat(p).contains("speech.speech-level: must be between 3 and 40")));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IVR_PROMPTS_DELIVERY", "http", "IVR_HTTP_ENABLED", "false")))
                .hasMessageContaining("prompts.delivery: http needs the HTTP server");
    }
}
