package dev.ivr.server.config;

public record TtsConfig(
        @Doc("Whether MaryTTS is started (prompts with text need it unless they have recordings).")
        boolean enabled,
        @Doc("MaryTTS voice for English prompts.")
        String voice) implements Validated {

    @Override
    public void validate(Problems p) {
        if (enabled) {
            p.notBlank("voice", voice);
        }
    }
}
