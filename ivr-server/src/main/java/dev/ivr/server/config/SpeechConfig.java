package dev.ivr.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

public record SpeechConfig(
        @Doc("Whether the AudioSocket listener runs (speech input for listen nodes and menus).")
        boolean enabled,
        @Doc("Address the AudioSocket listener binds to.")
        String bind,
        @Doc("TCP port of the AudioSocket listener; 0 picks a free port.")
        int port,
        @Doc("host:port Asterisk connects to for AudioSocket (what EXEC AudioSocket is given). Empty: bind and port, which needs a bind other than 0.0.0.0.")
        String advertise,
        @Doc("PBX addresses (CIDR) allowed to open AudioSocket sessions. Empty: the same as agi.allow.")
        List<String> allow,
        @Doc("Vosk model directory per language, e.g. {en: /opt/vosk/vosk-model-small-en-us-0.15}. No model ships with ivr; flows that listen in a language without one fail validation.")
        Map<String, Path> models,
        @Doc("How long to wait for the caller to start speaking before giving up (no input).")
        Duration noInputTimeout,
        @Doc("Silence after speech that ends the utterance.")
        Duration endSilence,
        @Doc("Longest utterance; recognition ends there even if the caller is still speaking.")
        Duration maxDuration,
        @Doc("Level (dBFS) above the noise floor that counts as speech, for end-of-speech detection.")
        double speechLevel,
        @Doc("Most speech sessions at once on this server; more are refused (the flow sees an error and can fall back to keys).")
        int maxSessions) implements Validated {

    public SpeechConfig {
        allow = allow == null ? List.of() : List.copyOf(allow);
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("bind", bind);
        p.listenPort("port", port);
        if (advertise != null && !advertise.isBlank() && !advertise.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}")) {
            p.add("advertise", "must be host:port as Asterisk reaches this server (got " + advertise + ")");
        }
        if (enabled && (advertise == null || advertise.isBlank()) && (bind.equals("0.0.0.0") || bind.equals("::"))) {
            p.add("advertise", "must be set when bind is " + bind + ": Asterisk needs an address it can connect to");
        }
        p.cidrs("allow", allow);
        models.forEach((lang, path) -> {
            if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("models." + lang, "is not a language code such as en or pt-BR");
            }
        });
        p.positive("no-input-timeout", noInputTimeout);
        p.positive("end-silence", endSilence);
        p.positive("max-duration", maxDuration);
        if (speechLevel < 3 || speechLevel > 40) {
            p.add("speech-level", "must be between 3 and 40 dB above the noise floor (got " + speechLevel + ")");
        }
        p.positive("max-sessions", maxSessions);
    }
}
