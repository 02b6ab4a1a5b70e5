package dev.ivr.server.speech.vosk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vosk (Kaldi) recognizers from model directories configured per language
 * ({@code speech.models.<lang>}). A model loads on first use and stays loaded; a missing or
 * broken model makes the language unavailable with a clear reason, never a crash. With
 * phrases, recognition is restricted to them (Vosk grammar, plus "[unk]" for anything else).
 */
public final class VoskRecognizers implements RecognizerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(VoskRecognizers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** AudioSocket's rate. */
    static final float SAMPLE_RATE = 8000f;

    private final Map<String, Path> models;
    private final Map<String, Model> loaded = new ConcurrentHashMap<>();
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Model>> loading = new ConcurrentHashMap<>();

    public VoskRecognizers(Map<String, Path> models) {
        Map<String, Path> m = new ConcurrentHashMap<>();
        models.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        this.models = m;
    }

    private String modelLanguage(String language) {
        String lang = language == null ? "" : language.toLowerCase(Locale.ROOT);
        if (models.containsKey(lang)) {
            return lang;
        }
        String base = lang.split("-")[0];
        return models.containsKey(base) ? base : null;
    }

    @Override
    public ModelStatus status(String language) {
        String lang = modelLanguage(language);
        if (lang == null) {
            return new ModelStatus(language, false, "no Vosk model configured for language '" + language
                    + "' (set speech.models." + language + " to a model directory)");
        }
        Path dir = models.get(lang);
        String problem = checkDirectory(dir);
        if (problem != null) {
            return new ModelStatus(language, false, "speech.models." + lang + ": " + problem);
        }
        String f = failed.get(lang);
        if (f != null) {
            return new ModelStatus(language, false, "speech.models." + lang + ": " + f);
        }
        return new ModelStatus(language, true, "Vosk model " + dir);
    }

    /** Why a directory is not a Vosk model, or null when it looks like one. */
    static String checkDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return dir + " is not a directory";
        }
        if (!Files.isRegularFile(dir.resolve("am/final.mdl")) && !Files.isRegularFile(dir.resolve("final.mdl"))) {
            return dir + " does not look like a Vosk model (no am/final.mdl)";
        }
        return null;
    }

    @Override
    public Recognizer open(String language, List<String> phrases) {
        ModelStatus status = status(language);
        if (!status.available()) {
            throw new SpeechUnavailableException(status.detail());
        }
        String lang = modelLanguage(language);
        Model model = model(lang);
        org.vosk.Recognizer r;
        try {
            if (phrases.isEmpty()) {
                r = new org.vosk.Recognizer(model, SAMPLE_RATE);
            } else {
                r = new org.vosk.Recognizer(model, SAMPLE_RATE, grammar(phrases));
            }
            r.setWords(true);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new SpeechUnavailableException("Vosk could not create a recognizer for " + language + ": " + e.getMessage(), e);
        }
        return new VoskRecognizer(r);
    }

    /**
     * The loaded model of a language. The first call for a language loads it (seconds of native code) while
     * calls for the same language wait for that load, without a lock: a call thread (virtual) that waits
     * parks instead of pinning its carrier, and calls for other languages are never held up.
     */
    private Model model(String lang) {
        Model m = loaded.get(lang);
        if (m != null) {
            return m;
        }
        CompletableFuture<Model> mine = new CompletableFuture<>();
        CompletableFuture<Model> running = loading.putIfAbsent(lang, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof SpeechUnavailableException u ? u : e;
            }
        }
        try {
            m = load(lang);
            loaded.put(lang, m);
            mine.complete(m);
            return m;
        } catch (SpeechUnavailableException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private Model load(String lang) {
        Path dir = models.get(lang);
        long t0 = System.nanoTime();
        Model m;
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
            m = new Model(dir.toString());
        } catch (IOException | RuntimeException | LinkageError e) {
            String why = "Vosk could not load the model in " + dir + ": " + e.getMessage();
            failed.put(lang, why);
            LOG.error(why);
            throw new SpeechUnavailableException(why, e);
        }
        LOG.info("Vosk model for {} loaded from {} in {} ms", lang, dir, (System.nanoTime() - t0) / 1_000_000);
        return m;
    }

    /** The Vosk grammar: the phrases in lower case, and "[unk]" so that anything else is not forced onto them. */
    static String grammar(List<String> phrases) {
        List<String> g = new ArrayList<>();
        for (String p : phrases) {
            g.add(ListenRequest.normalise(p));
        }
        g.add("[unk]");
        try {
            return JSON.writeValueAsString(g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text and mean word confidence of Vosk's final result JSON. */
    static Recognizer.Recognition parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            String text = n.path("text").asText("");
            double sum = 0;
            int count = 0;
            for (JsonNode w : n.path("result")) {
                sum += w.path("conf").asDouble(0);
                count++;
            }
            return new Recognizer.Recognition(text.strip(), count == 0 ? (text.isBlank() ? 0 : 1) : sum / count);
        } catch (IOException e) {
            return Recognizer.Recognition.NOTHING;
        }
    }

    @Override
    public void close() {
        loaded.values().forEach(Model::close);
        loaded.clear();
    }

    private static final class VoskRecognizer implements Recognizer {
        private final org.vosk.Recognizer r;

        VoskRecognizer(org.vosk.Recognizer r) {
            this.r = r;
        }

        @Override
        public void accept(byte[] slin, int length) {
            r.acceptWaveForm(slin, length);
        }

        @Override
        public Recognition finish() {
            return parse(r.getFinalResult());
        }

        @Override
        public void close() {
            r.close();
        }
    }
}
