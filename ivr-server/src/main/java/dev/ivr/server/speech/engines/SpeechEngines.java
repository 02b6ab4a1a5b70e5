package dev.ivr.server.speech.engines;

import dev.ivr.server.config.SpeechConfig;
import dev.ivr.server.config.SphinxConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.speech.vosk.VoskRecognizers;
import dev.ivr.server.speech.sphinx.SphinxRecognizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The server's speech recognition: Vosk and CMU Sphinx4 behind one {@link RecognizerFactory},
 * the recogniser chosen per language ({@code speech.engines}, else Vosk where
 * {@code speech.models} has a model, else Sphinx4 where it has one: US English ships inside
 * ivr). Sphinx4 loads only when some language uses it.
 */
public final class SpeechEngines implements RecognizerFactory {
    public static final String VOSK = "vosk";
    public static final String SPHINX = "sphinx";

    /** Which recogniser serves one language, and whether it can now. */
    public record Assignment(String language, String engine, ModelStatus status) {
    }

    private final SpeechConfig config;
    private final VoskRecognizers vosk;
    private final SphinxRecognizers sphinx;

    private SpeechEngines(SpeechConfig config, VoskRecognizers vosk, SphinxRecognizers sphinx) {
        this.config = config;
        this.vosk = vosk;
        this.sphinx = sphinx;
    }

    /** Starts the recognisers the configuration needs (Sphinx4 loads in the background); returns at once. */
    public static SpeechEngines start(SpeechConfig config) {
        boolean sphinxNeeded = config.enabled() && plan(config).containsValue(SPHINX);
        SphinxConfig sc = config.sphinx();
        SphinxRecognizers sphinx = SphinxRecognizers.start(sphinxNeeded ? sc
                : new SphinxConfig(false, 1, sc.maxWaiting(), sc.timeout()));
        return new SpeechEngines(config, new VoskRecognizers(config.models()), sphinx);
    }

    /** The recogniser of a language by configuration alone ({@code en-GB} falls back to {@code en}); null for none. */
    public static String engineFor(SpeechConfig config, String language) {
        if (language == null || language.isBlank()) {
            return null;
        }
        String lang = language.toLowerCase(Locale.ROOT);
        String base = lang.contains("-") ? lang.substring(0, lang.indexOf('-')) : lang;
        String chosen = config.engines().getOrDefault(lang, config.engines().get(base));
        if (chosen != null) {
            return chosen;
        }
        if (config.models().containsKey(lang) || config.models().containsKey(base)) {
            return VOSK;
        }
        if (config.sphinx().enabled() && SphinxRecognizers.hasModel(lang)) {
            return SPHINX;
        }
        return null;
    }

    /** Every language some recogniser is configured for, with that recogniser (nothing started). */
    public static Map<String, String> plan(SpeechConfig config) {
        TreeSet<String> langs = new TreeSet<>();
        config.models().keySet().forEach(l -> langs.add(l.toLowerCase(Locale.ROOT)));
        config.engines().keySet().forEach(l -> langs.add(l.toLowerCase(Locale.ROOT)));
        if (config.sphinx().enabled() && SphinxRecognizers.hasModel("en")) {
            langs.add("en");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : langs) {
            String e = engineFor(config, l);
            if (e != null) {
                m.put(l, e);
            }
        }
        return m;
    }

    /**
     * What a server with this configuration will recognise, for flow validation and doctor: needs
     * no running server and loads no model (Vosk's directories are checked; Sphinx4's model is
     * on the class path).
     */
    public static SpeechModels models(SpeechConfig config) {
        if (!config.enabled()) {
            return language -> new ModelStatus(language, false, "speech input is disabled (speech.enabled: false)");
        }
        VoskRecognizers vosk = new VoskRecognizers(config.models());
        return new SpeechModels() {
            @Override
            public ModelStatus status(String language) {
                return SpeechEngines.status(config, language, vosk, SpeechEngines::configuredSphinx);
            }

            @Override
            public List<String> unrecognisable(String language, List<String> phrases) {
                return SPHINX.equals(engineFor(config, language)) && SphinxRecognizers.hasModel(language)
                        ? SphinxRecognizers.unrecognisable(phrases) : List.of();
            }
        };
    }

    /** What Sphinx4 will do for a language by configuration alone (the model is on the class path or not). */
    private static ModelStatus configuredSphinx(String language) {
        return SphinxRecognizers.hasModel(language)
                ? new ModelStatus(language, true, "Sphinx4 " + SphinxRecognizers.modelName() + ", phrases only", false)
                : new ModelStatus(language, false, "speech.engines." + language + " is sphinx, but Sphinx4 has no model for "
                + language + " (it ships " + SphinxRecognizers.modelName() + " only)", false);
    }

    /** The status of a language from its recogniser: Vosk's, Sphinx4's (as given), or none. */
    private static ModelStatus status(SpeechConfig config, String language, VoskRecognizers vosk,
                                      java.util.function.Function<String, ModelStatus> sphinx) {
        String engine = engineFor(config, language);
        if (VOSK.equals(engine)) {
            return vosk.status(language);
        }
        if (SPHINX.equals(engine)) {
            return sphinx.apply(language);
        }
        return none(config, language);
    }

    private static ModelStatus none(SpeechConfig config, String language) {
        String sphinx = SphinxRecognizers.hasModel(language) && !config.sphinx().enabled()
                ? "Sphinx4 is off (speech.sphinx.enabled: false)" : "Sphinx4 ships a US English model only";
        return new ModelStatus(language, false, "no recogniser for '" + language + "': no Vosk model (set speech.models."
                + language + " to a model directory), and " + sphinx);
    }

    @Override
    public ModelStatus status(String language) {
        return status(config, language, vosk, sphinx::status);
    }

    @Override
    public Recognizer open(String language, List<String> phrases) {
        String engine = engineFor(config, language);
        if (VOSK.equals(engine)) {
            return vosk.open(language, phrases);
        }
        if (SPHINX.equals(engine)) {
            return sphinx.open(language, phrases);
        }
        throw new SpeechUnavailableException(none(config, language).detail());
    }

    public SphinxRecognizers sphinx() {
        return sphinx;
    }

    /** Each configured language: its recogniser and whether it can recognise now (what /health and doctor show). */
    public Map<String, Assignment> languages() {
        Map<String, Assignment> out = new LinkedHashMap<>();
        plan(config).forEach((lang, engine) -> out.put(lang, new Assignment(lang, engine, status(lang))));
        return out;
    }

    /**
     * One line for /health, per language "en: sphinx (ready, 2 decoders)"; STARTING while
     * Sphinx4 loads, DEGRADED when some language cannot be recognised, UP otherwise (also when
     * no language has a recogniser: menus then take keys, which is a valid set-up).
     */
    public Health health() {
        Map<String, Assignment> langs = languages();
        if (langs.isEmpty()) {
            return Health.up("no recogniser configured: menus take keys only");
        }
        StringBuilder sb = new StringBuilder();
        boolean loading = false;
        int down = 0;
        for (Assignment a : langs.values()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(a.language()).append(": ").append(a.engine()).append(" (");
            if (a.status().available()) {
                sb.append("ready");
                if (SPHINX.equals(a.engine())) {
                    sb.append(", ").append(sphinx.decodersReady()).append(" decoder(s), phrases only");
                }
            } else if (SPHINX.equals(a.engine()) && sphinx.state() == SphinxRecognizers.State.LOADING) {
                sb.append("loading");
                loading = true;
            } else {
                sb.append(a.status().detail());
                down++;
            }
            sb.append(')');
        }
        if (loading) {
            return Health.starting(sb.toString());
        }
        return down == 0 ? Health.up(sb.toString()) : Health.degraded(sb.toString());
    }

    @Override
    public void close() {
        sphinx.close();
        vosk.close();
    }
}
