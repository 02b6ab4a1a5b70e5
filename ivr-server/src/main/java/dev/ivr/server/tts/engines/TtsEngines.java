package dev.ivr.server.tts.engines;

import dev.ivr.server.audio.Pcm;
import dev.ivr.server.config.TtsConfig;
import dev.ivr.server.health.Health;

import dev.ivr.server.tts.Synthesizer;
import dev.ivr.server.tts.espeak.ESpeakNg;
import dev.ivr.server.tts.marytts.MaryTts;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The server's text to speech: MaryTTS and eSpeak NG behind one {@link Synthesizer}, the
 * engine chosen per language by configuration ({@code tts.engines}, else MaryTTS where it has
 * a voice, else eSpeak NG). A voice name says its engine: MaryTTS voices by their own names,
 * eSpeak NG voices as {@code espeak-ng:<voice>}; so cache keys (which hash the voice) never
 * mix engines.
 */
public final class TtsEngines implements Synthesizer, AutoCloseable {

    /** Which engine and voice speak one language, and whether that works now. */
    public record Assignment(String language, String engine, String voice, Health health) {
    }

    private final TtsConfig config;
    private final MaryTts mary;
    private final ESpeakNg espeak;

    private TtsEngines(TtsConfig config, MaryTts mary, ESpeakNg espeak) {
        this.config = config;
        this.mary = mary;
        this.espeak = espeak;
    }

    /** Starts both engines in the background; returns at once. */
    public static TtsEngines start(TtsConfig config) {
        MaryTts mary = MaryTts.start(config);
        ESpeakNg espeak = ESpeakNg.start(config.enabled() ? config.espeak()
                : new dev.ivr.server.config.ESpeakConfig(false, config.espeak().command(), Map.of(), config.espeak().rate(),
                config.espeak().timeout()));
        return new TtsEngines(config, mary, espeak);
    }

    public MaryTts mary() {
        return mary;
    }

    public ESpeakNg espeak() {
        return espeak;
    }

    /** The configured voice of a language, without starting anything ({@code en-GB} falls back to {@code en}). */
    public static Optional<String> voiceFor(TtsConfig config, String language) {
        if (!config.enabled() || language == null) {
            return Optional.empty();
        }
        String lang = language.toLowerCase(Locale.ROOT);
        String base = lang.contains("-") ? lang.substring(0, lang.indexOf('-')) : lang;
        String engine = config.engines().getOrDefault(lang, config.engines().get(base));
        Optional<String> maryVoice = MaryTts.voiceFor(config, lang);
        Optional<String> espeakVoice = ESpeakNg.voiceFor(config.espeak(), lang);
        if ("espeak".equals(engine)) {
            return espeakVoice.or(() -> config.espeak().enabled() ? Optional.of(ESpeakNg.PREFIX + base) : Optional.empty());
        }
        if ("marytts".equals(engine)) {
            return maryVoice;
        }
        return maryVoice.or(() -> espeakVoice);
    }

    /** Every language some engine is configured for, with its engine and voice (none started). */
    public static Map<String, String> plan(TtsConfig config) {
        TreeSet<String> langs = new TreeSet<>();
        if (config.enabled()) {
            langs.addAll(MaryTts.voicesByLanguage(config).keySet());
            config.espeak().voices().keySet().forEach(l -> langs.add(l.toLowerCase(Locale.ROOT)));
            config.engines().keySet().forEach(l -> langs.add(l.toLowerCase(Locale.ROOT)));
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : langs) {
            voiceFor(config, l).ifPresent(v -> m.put(l, v));
        }
        return m;
    }

    /** The engine a voice name belongs to. */
    public static String engineOf(String voice) {
        return voice.startsWith(ESpeakNg.PREFIX) ? "espeak-ng" : "marytts";
    }

    @Override
    public Optional<String> voiceFor(String language) {
        return voiceFor(config, language);
    }

    @Override
    public boolean isReady() {
        return mary.isReady() || espeak.isReady();
    }

    @Override
    public boolean isReady(String voice) {
        return voice.startsWith(ESpeakNg.PREFIX) ? espeak.isReady() : mary.isReady();
    }

    @Override
    public Pcm synthesize(String text, String voice) {
        return voice.startsWith(ESpeakNg.PREFIX) ? espeak.synthesize(text, voice) : mary.synthesize(text, voice);
    }

    /** Waits for both engines to start (or fail); true when at least one works. */
    public boolean awaitReady(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean e = espeak.awaitReady(timeout, unit);
        boolean m = mary.awaitReady(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return e || m;
    }

    /** Each configured language: engine, voice, and whether it can speak now (what /health and doctor show). */
    public Map<String, Assignment> languages() {
        Map<String, Assignment> out = new LinkedHashMap<>();
        plan(config).forEach((lang, voice) -> {
            Health h;
            if (voice.startsWith(ESpeakNg.PREFIX)) {
                Health e = espeak.health();
                h = e.status() != Health.Status.UP ? e : espeak.hasVoice(voice) ? Health.up("ready")
                        : Health.down("eSpeak NG has no voice '" + voice.substring(ESpeakNg.PREFIX.length()) + "'");
            } else {
                Health mh = mary.health();
                h = mh.status() == Health.Status.UP ? Health.up("ready") : mh;
            }
            out.put(lang, new Assignment(lang, engineOf(voice), voice, h));
        });
        return out;
    }

    /**
     * One line for /health: per language "hu: espeak-ng hu (ready)"; DOWN when no language can
     * speak, DEGRADED when some cannot, STARTING while an engine loads.
     */
    public Health health() {
        Map<String, Assignment> langs = languages();
        if (!config.enabled()) {
            return Health.down("disabled in configuration (tts.enabled: false): recordings only");
        }
        StringBuilder sb = new StringBuilder();
        int up = 0;
        boolean starting = false;
        for (Assignment a : langs.values()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            String voice = a.voice().startsWith(ESpeakNg.PREFIX) ? a.voice().substring(ESpeakNg.PREFIX.length()) : a.voice();
            sb.append(a.language()).append(": ").append(a.engine()).append(' ').append(voice).append(" (")
                    .append(a.health().status() == Health.Status.UP ? "ready" : a.health().detail()).append(')');
            up += a.health().status() == Health.Status.UP ? 1 : 0;
            starting |= a.health().status() == Health.Status.STARTING;
        }
        if (langs.isEmpty()) {
            return Health.down("no language has a voice");
        }
        if (starting) {
            return Health.starting(sb.toString());
        }
        return up == langs.size() ? Health.up(sb.toString()) : up == 0 ? Health.down(sb.toString()) : Health.degraded(sb.toString());
    }

    @Override
    public void close() {
        mary.close();
        espeak.close();
    }
}
