package dev.ivr.server.config;

import java.util.Map;

public record TtsConfig(
        @Doc("Whether MaryTTS is started (prompts with text need it unless they have recordings).")
        boolean enabled,
        @Doc("MaryTTS voice for English prompts.")
        String voice,
        @Doc("MaryTTS voices for other languages, by language code, e.g. {de: bits1-hsmm} (the voice's jar must be on the class path). A language with no voice needs recordings for its prompts.")
        Map<String, String> voices) implements Validated {

    public TtsConfig {
        voices = voices == null ? Map.of() : Map.copyOf(voices);
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
    }
}
