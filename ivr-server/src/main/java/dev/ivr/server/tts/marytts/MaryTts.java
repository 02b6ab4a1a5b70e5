package dev.ivr.server.tts.marytts;

import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.TtsConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.tts.Synthesizer;
import marytts.LocalMaryInterface;
import marytts.MaryInterface;
import marytts.exceptions.MaryConfigurationException;
import marytts.exceptions.SynthesisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sound.sampled.AudioInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Embedded MaryTTS ({@link LocalMaryInterface}), started in the background because loading
 * voices takes seconds: the server takes calls meanwhile, and {@link #health()} says STARTING.
 */
public final class MaryTts implements Synthesizer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaryTts.class);

    private final TtsConfig config;
    private final CompletableFuture<MaryInterface> mary = new CompletableFuture<>();
    private volatile String error;

    private MaryTts(TtsConfig config) {
        this.config = config;
    }

    /** Starts loading MaryTTS and the configured voice; returns at once. */
    public static MaryTts start(TtsConfig config) {
        MaryTts tts = new MaryTts(config);
        if (!config.enabled()) {
            tts.error = "disabled in configuration (tts.enabled: false)";
            tts.mary.completeExceptionally(new IllegalStateException(tts.error));
            return tts;
        }
        Thread.ofPlatform().name("tts-start").daemon(true).start(tts::load);
        return tts;
    }

    private void load() {
        long t0 = System.nanoTime();
        try {
            MaryInterface m = new LocalMaryInterface();
            Set<String> voices = m.getAvailableVoices();
            for (String v : voicesByLanguage(config).values()) {
                if (!voices.contains(v)) {
                    throw new MaryConfigurationException("voice '" + v + "' is not installed; installed: " + voices);
                }
            }
            m.setVoice(config.voice());
            LOG.info("MaryTTS ready in {} ms with voice {} (installed: {})", (System.nanoTime() - t0) / 1_000_000,
                    config.voice(), voices);
            mary.complete(m);
        } catch (Exception | LinkageError e) {
            error = e.getMessage();
            LOG.error("MaryTTS failed to start: {}", e.toString());
            mary.completeExceptionally(e);
        }
    }

    /** Waits for MaryTTS to be ready; false if it failed or the time ran out. */
    public boolean awaitReady(long timeout, TimeUnit unit) {
        try {
            mary.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public boolean isReady() {
        return mary.isDone() && !mary.isCompletedExceptionally();
    }

    /** The configured voice's name. */
    public String voice() {
        return config.voice();
    }

    /**
     * Synthesises plain text with the configured voice (MaryTTS's own rate and format; the
     * prompt layer converts it for Asterisk).
     *
     * @throws IllegalStateException when MaryTTS is not (yet) available
     */
    public AudioInputStream synthesize(String text) throws SynthesisException {
        if (!isReady()) {
            throw new IllegalStateException("text to speech is not available: " + (error != null ? error : "starting"));
        }
        MaryInterface m = mary.join();
        synchronized (m) { // LocalMaryInterface keeps per-instance settings; one request at a time
            m.setVoice(config.voice());
            return m.generateAudio(text);
        }
    }

    /** Voices by language: tts.voice speaks English, tts.voices the others (none when TTS is off). */
    public static Map<String, String> voicesByLanguage(TtsConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        if (config.enabled()) {
            m.put("en", config.voice());
            config.voices().forEach((lang, voice) -> m.put(lang.toLowerCase(Locale.ROOT), voice));
        }
        return m;
    }

    @Override
    public Optional<String> voiceFor(String language) {
        return voiceFor(config, language);
    }

    /** The configured voice of a language ({@code en-GB} falls back to {@code en}), without starting MaryTTS. */
    public static Optional<String> voiceFor(TtsConfig config, String language) {
        if (language == null) {
            return Optional.empty();
        }
        Map<String, String> m = voicesByLanguage(config);
        String lang = language.toLowerCase(Locale.ROOT);
        String v = m.get(lang);
        if (v == null && lang.contains("-")) {
            v = m.get(lang.substring(0, lang.indexOf('-')));
        }
        return Optional.ofNullable(v);
    }

    @Override
    public Pcm synthesize(String text, String voice) {
        if (!isReady()) {
            throw new IllegalStateException("text to speech is not available: " + (error != null ? error : "starting"));
        }
        MaryInterface m = mary.join();
        AudioInputStream audio;
        try {
            synchronized (m) {
                m.setVoice(voice);
                audio = m.generateAudio(text);
            }
            return Wav.read(audio);
        } catch (SynthesisException | IOException | RuntimeException e) {
            throw new TtsException("MaryTTS could not speak \"" + abbreviate(text) + "\" with " + voice + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    public Health health() {
        if (isReady()) {
            return Health.up("MaryTTS, voice " + config.voice());
        }
        if (!mary.isDone()) {
            return Health.starting("MaryTTS loading voice " + config.voice());
        }
        return Health.down("MaryTTS: " + error);
    }

    /**
     * Nothing to release: MaryTTS is one system per JVM with its own shutdown hook, and a
     * later server in the same JVM reuses it.
     */
    @Override
    public void close() {
        mary.cancel(false);
    }
}
