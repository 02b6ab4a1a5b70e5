package dev.ivr.server.config;

import java.util.Map;
import java.util.Set;

public record TtsConfig(
        @Doc("Whether text to speech runs at all (prompts with text need it unless they have recordings).")
        boolean enabled,
        @Doc("MaryTTS voice for English prompts.")
        String voice,
        @Doc("MaryTTS voices for other languages, by language code, e.g. {de: bits1-hsmm} (the voice's jar must be on the class path). A language with no voice in any engine needs recordings for its prompts.")
        Map<String, String> voices,
        @Doc("Which engine speaks a language when more than one could, by language code: marytts or espeak, e.g. {en: espeak}. Unlisted languages use MaryTTS where it has a voice, else eSpeak NG.")
        Map<String, String> engines,
        @Doc("eSpeak NG, the engine for languages MaryTTS has no voice for (Hungarian, German, Italian, Spanish ...).")
        ESpeakConfig espeak) implements Validated {

    public static final Set<String> ENGINES = Set.of("marytts", "espeak");

    public TtsConfig {
        voices = voices == null ? Map.of() : Map.copyOf(voices);
        engines = engines == null ? Map.of() : Map.copyOf(engines);
    }

    @Override
    public void validate(Problems p) {
        if (enabled) {
            p.notBlank("voice", voice);
        }
        voices.forEach((lang, v) -> {
            if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("voices." + lang, "is not a language code such as de or pt-BR");
            }
            p.notBlank("voices." + lang, v);
        });
        engines.forEach((lang, e) -> {
            if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("engines." + lang, "is not a language code such as de or pt-BR");
            }
            if (!ENGINES.contains(e)) {
                p.add("engines." + lang, "must be marytts or espeak (got '" + e + "')");
            }
        });
        p.section("espeak", espeak);
    }
}
