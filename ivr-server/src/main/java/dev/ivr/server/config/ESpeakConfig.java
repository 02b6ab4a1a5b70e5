package dev.ivr.server.config;

import java.time.Duration;
import java.util.Map;

public record ESpeakConfig(
        @Doc("Whether eSpeak NG speaks the languages MaryTTS has no voice for (Debian package espeak-ng).")
        boolean enabled,
        @Doc("The espeak-ng program: a name found on the PATH or an absolute path.")
        String command,
        @Doc("eSpeak NG voice per language, e.g. {hu: hu, de: de, pt-BR: pt-br} (espeak-ng --voices lists them; a variant is written voice+variant, e.g. de+f2).")
        Map<String, String> voices,
        @Doc("Speaking rate in words per minute (80-450).")
        int rate,
        @Doc("Longest time one text may take to speak before it counts as failed.")
        Duration timeout) implements Validated {

    public ESpeakConfig {
        voices = voices == null ? Map.of() : Map.copyOf(voices);
    }

    @Override
    public void validate(Problems p) {
        if (enabled) {
            p.notBlank("command", command);
        }
        voices.forEach((lang, v) -> {
            if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("voices." + lang, "is not a language code such as hu or pt-BR");
            }
            if (v == null || !v.matches("[A-Za-z0-9_\\-]+(\\+[A-Za-z0-9_\\-]+)?")) {
                p.add("voices." + lang, "must be an eSpeak NG voice name such as hu, en-us or de+f2 (got '" + v + "')");
            }
        });
        if (rate < 80 || rate > 450) {
            p.add("rate", "must be between 80 and 450 words per minute (got " + rate + ")");
        }
        p.positive("timeout", timeout);
    }
}
