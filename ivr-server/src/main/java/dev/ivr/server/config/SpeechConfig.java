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
        @Doc("TCP port of the AudioSocket listener; 0 picks a free port (the one bound is reported in <data-dir>/ports.json).")
        int port,
        @Doc("host:port Asterisk connects to for AudioSocket (what EXEC AudioSocket is given). Empty: bind and port, which needs a bind other than 0.0.0.0.")
        String advertise,
        @Doc("PBX addresses (CIDR) allowed to open AudioSocket sessions. Empty: the same as agi.allow.")
        List<String> allow,
        @Doc("Vosk model directory per language, e.g. {en: /opt/vosk/vosk-model-small-en-us-0.15}. No Vosk model ships with ivr; a language with one is recognised by Vosk (free text and phrases).")
        Map<String, Path> models,
        @Doc("Which recogniser serves a language, by language code: vosk or sphinx, e.g. {en: sphinx}. Unlisted languages use Vosk where speech.models has a model, else Sphinx4 where it has one (US English ships inside ivr). Flows that listen in a language no recogniser serves fail validation.")
        Map<String, String> engines,
        @Doc("CMU Sphinx4, the recogniser that ships its US English model: phrases of menus and listen nodes (a grammar), not free text.")
        SphinxConfig sphinx,
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
        engines = engines == null ? Map.of() : Map.copyOf(engines);
    }

    /** The recognisers {@code speech.engines} may name. */
    public static final java.util.Set<String> ENGINES = java.util.Set.of("vosk", "sphinx");

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
        engines.forEach((lang, engine) -> {
            if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("engines." + lang, "is not a language code such as en or pt-BR");
            }
            if (!ENGINES.contains(engine)) {
                p.add("engines." + lang, "must be vosk or sphinx (got '" + engine + "')");
            } else if (engine.equals("vosk") && !models.containsKey(lang)) {
                p.add("engines." + lang, "is vosk, but speech.models has no model for " + lang);
            } else if (engine.equals("sphinx") && sphinx != null && !sphinx.enabled()) {
                p.add("engines." + lang, "is sphinx, but speech.sphinx.enabled is false");
            }
        });
        p.section("sphinx", sphinx);
        p.positive("no-input-timeout", noInputTimeout);
        p.positive("end-silence", endSilence);
        p.positive("max-duration", maxDuration);
        if (speechLevel < 3 || speechLevel > 40) {
            p.add("speech-level", "must be between 3 and 40 dB above the noise floor (got " + speechLevel + ")");
        }
        p.positive("max-sessions", maxSessions);
    }
}
