package dev.ivr.server.speech.sphinx;

import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Resampler;
import dev.ivr.server.config.SphinxConfig;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.Recognizer.Recognition;
import dev.ivr.server.speech.RecognizerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CMU Sphinx4 recognizers for the phrases of menus and listen nodes, with the US English model
 * that ships inside ivr (so speech works with no model to download).
 *
 * <p>How the work is spread: a caller's audio (8 kHz) is only collected while they speak; when
 * the utterance ends it is resampled to the model's 16 kHz and decoded as a whole on a small
 * pool of platform threads, one {@link SphinxDecoder} each ({@code speech.sphinx.decoders}),
 * never on a call's virtual thread, whose carrier it would hold for the whole decoding. At most
 * {@code speech.sphinx.max-waiting} utterances wait for a decoder; one more is refused (the flow
 * falls back to keys).
 *
 * <p>The model loads in the background from {@link #start}: the language is "loading" (not
 * available: menus take keys) until the first decoder is ready; no call thread ever waits for
 * it or holds a lock meanwhile.
 */
public final class SphinxRecognizers implements RecognizerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SphinxRecognizers.class);
    /** AudioSocket's rate. */
    private static final int CALL_RATE = 8000;
    /** Audio kept for one utterance at most (60 s at 8 kHz); what comes after is not decoded. */
    private static final int MAX_UTTERANCE_BYTES = 60 * CALL_RATE * 2;
    private static final int GRAMMAR_CACHE = 64;

    /** Where loading stands. */
    public enum State { OFF, LOADING, READY, FAILED }

    private final SphinxConfig config;
    private final SphinxModel model;
    private final SphinxTuning tuning;
    private final int decoderCount;
    /** Decoders not decoding now (package-private: tests hold one to fill the pool). */
    final BlockingQueue<SphinxDecoder> idle = new LinkedBlockingQueue<>();
    private final List<SphinxDecoder> all = new ArrayList<>();
    final ThreadPoolExecutor executor;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicInteger ready = new AtomicInteger();
    private final Map<List<String>, SphinxGrammar> grammars = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, SphinxGrammar> eldest) {
            return size() > GRAMMAR_CACHE;
        }
    };
    private volatile State state;
    private volatile String failure;
    private volatile Set<String> vocabulary = Set.of();
    private volatile boolean closed;

    SphinxRecognizers(SphinxConfig config, SphinxModel model, SphinxTuning tuning) {
        this.config = config;
        this.model = model;
        this.tuning = tuning;
        this.decoderCount = config.decoderCount();
        this.state = config.enabled() ? State.LOADING : State.OFF;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(decoderCount, decoderCount, 0, TimeUnit.MILLISECONDS,
                config.maxWaiting() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(config.maxWaiting()),
                r -> Thread.ofPlatform().daemon().name("sphinx-decoder-" + n.incrementAndGet()).unstarted(r));
    }

    /** Starts loading the bundled US English model in the background (when enabled); returns at once. */
    public static SphinxRecognizers start(SphinxConfig config) {
        return start(config, SphinxTuning.DEFAULT);
    }

    static SphinxRecognizers start(SphinxConfig config, SphinxTuning tuning) {
        SphinxRecognizers r = new SphinxRecognizers(config, SphinxModel.BUNDLED_EN_US, tuning);
        if (config.enabled()) {
            Thread.ofPlatform().daemon().name("sphinx-load").start(r::load);
        } else {
            r.loaded.countDown();
        }
        return r;
    }

    /** The languages Sphinx4 has a model for here, without loading anything (for validation and doctor). */
    public static boolean hasModel(String language) {
        return serves(SphinxModel.BUNDLED_EN_US, language) && SphinxModel.BUNDLED_EN_US.present();
    }

    /**
     * Phrases the bundled model can never hear, each with the words its dictionary lacks (for
     * flow validation; reads the dictionary once, without loading the model).
     */
    public static List<String> unrecognisable(List<String> phrases) {
        try {
            Set<String> words = SphinxVocabulary.bundled();
            return SphinxGrammar.compile(phrases, words::contains, SphinxModel.BUNDLED_EN_US.locale()).unknown().stream()
                    .map(u -> "Sphinx4 cannot recognise '" + u.phrase() + "' in English: its dictionary has no "
                            + String.join(", ", u.words().stream().map(w -> "'" + w + "'").toList()))
                    .toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** What the model is, for /health and doctor. */
    public static String modelName() {
        return SphinxModel.BUNDLED_EN_US.toString();
    }

    private static boolean serves(SphinxModel m, String language) {
        if (language == null) {
            return false;
        }
        String lang = language.toLowerCase(Locale.ROOT);
        return lang.equals(m.language()) || lang.startsWith(m.language() + "-");
    }

    private void load() {
        long t0 = System.nanoTime();
        try {
            if (!model.present()) {
                throw new java.io.IOException("the model is not on the class path (the sphinx4-data jar is missing)");
            }
            vocabulary = model == SphinxModel.BUNDLED_EN_US ? SphinxVocabulary.bundled() : SphinxVocabulary.read(model.dictionary());
            for (int i = 0; i < decoderCount && !closed; i++) {
                SphinxDecoder d = SphinxDecoder.load(model, tuning);
                synchronized (all) {
                    if (closed) {
                        d.close();
                        break;
                    }
                    all.add(d);
                }
                idle.add(d);
                if (ready.incrementAndGet() == 1) {
                    state = State.READY;
                    loaded.countDown();
                    LOG.info("Sphinx4 {} ready in {} ms", model, (System.nanoTime() - t0) / 1_000_000);
                }
            }
            LOG.info("Sphinx4: {} decoder(s) ready in {} ms", ready.get(), (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | LinkageError e) {
            if (ready.get() == 0) {
                failure = "Sphinx4 could not load " + model + ": " + e.getMessage();
                state = State.FAILED;
                LOG.error(failure);
            } else {
                LOG.warn("Sphinx4: only {} of {} decoder(s) could be loaded: {}", ready.get(), decoderCount, e.toString());
            }
        } finally {
            loaded.countDown();
        }
    }

    /** Waits until the model is loaded (or failed); true when it can recognise. For tests and tools. */
    public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        loaded.await(timeout, unit);
        return state == State.READY;
    }

    public State state() {
        return state;
    }

    /** Decoders loaded now (of {@code speech.sphinx.decoders}). */
    public int decodersReady() {
        return ready.get();
    }

    public int decoders() {
        return decoderCount;
    }

    /** Utterances waiting for a decoder now. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public ModelStatus status(String language) {
        if (!serves(model, language)) {
            return new ModelStatus(language, false, "Sphinx4 has no model for '" + language + "' (it ships "
                    + model + " only)", false);
        }
        return switch (state) {
            case OFF -> new ModelStatus(language, false, "Sphinx4 is disabled (speech.sphinx.enabled: false)", false);
            case LOADING -> new ModelStatus(language, false, "Sphinx4 is loading its model", false);
            case FAILED -> new ModelStatus(language, false, failure, false);
            case READY -> new ModelStatus(language, true, "Sphinx4 " + model + ", phrases only", false);
        };
    }

    @Override
    public Recognizer open(String language, List<String> phrases) {
        ModelStatus status = status(language);
        if (!status.available()) {
            throw new SpeechUnavailableException(status.detail());
        }
        if (phrases.isEmpty()) {
            throw new SpeechUnavailableException("Sphinx4 recognises phrases only; free text in " + language
                    + " needs a Vosk model (speech.models." + language + ")");
        }
        SphinxGrammar g = grammar(phrases);
        if (g.isEmpty()) {
            throw new SpeechUnavailableException("Sphinx4 knows none of the phrases: "
                    + String.join("; ", g.unknown().stream().map(Object::toString).toList()));
        }
        return new SphinxRecognizer(g);
    }

    /** The compiled grammar of these phrases (compiled once; the first compile names phrases that cannot be recognised). */
    SphinxGrammar grammar(List<String> phrases) {
        synchronized (grammars) {
            SphinxGrammar g = grammars.get(phrases);
            if (g != null) {
                return g;
            }
        }
        Set<String> words = vocabulary;
        SphinxGrammar g = SphinxGrammar.compile(phrases, words::contains, model.locale());
        if (!g.unknown().isEmpty()) {
            LOG.warn("Sphinx4 cannot recognise {} phrase(s), their words are not in its dictionary: {}",
                    g.unknown().size(), String.join("; ", g.unknown().stream().map(Object::toString).toList()));
        }
        synchronized (grammars) {
            grammars.put(List.copyOf(phrases), g);
        }
        return g;
    }

    /** Decodes 8 kHz call audio on a decoder thread; the caller's thread waits without holding a carrier. */
    Recognition decode(byte[] slin8k, SphinxGrammar g) {
        Future<Recognition> f;
        try {
            f = executor.submit(() -> {
                SphinxDecoder d = idle.take();
                try {
                    return d.decode(resample(slin8k), g);
                } finally {
                    idle.add(d);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new SpeechUnavailableException("all " + decoderCount + " Sphinx4 decoder(s) are busy and "
                    + config.maxWaiting() + " utterance(s) wait (speech.sphinx.decoders, speech.sphinx.max-waiting)");
        }
        try {
            return f.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            return Recognition.NOTHING;
        } catch (TimeoutException e) {
            f.cancel(false);
            LOG.warn("Sphinx4 gave no result within {} ms (speech.sphinx.timeout)", config.timeout().toMillis());
            return Recognition.NOTHING;
        } catch (ExecutionException e) {
            throw new SpeechUnavailableException("Sphinx4 failed: " + e.getCause(), e.getCause());
        }
    }

    /** 8 kHz little-endian slin to the model's 16 kHz, with the project's resampler (no images above 4 kHz). */
    static short[] resample(byte[] slin8k) {
        short[] s = new short[slin8k.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((slin8k[2 * i] & 0xff) | (slin8k[2 * i + 1] << 8));
        }
        return Resampler.resample(new Pcm(s, CALL_RATE), SphinxDecoder.SAMPLE_RATE).samples();
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        synchronized (all) {
            all.forEach(SphinxDecoder::close);
            all.clear();
        }
    }

    /** One utterance: audio is collected as it comes, decoded when it ends. */
    private final class SphinxRecognizer implements Recognizer {
        private final SphinxGrammar grammar;
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream(64 * 1024);

        SphinxRecognizer(SphinxGrammar grammar) {
            this.grammar = grammar;
        }

        @Override
        public void accept(byte[] slin, int length) {
            int room = MAX_UTTERANCE_BYTES - audio.size();
            if (room > 0) {
                audio.write(slin, 0, Math.min(room, length) & ~1);
            }
        }

        @Override
        public Recognition finish() {
            if (audio.size() == 0) {
                return Recognition.NOTHING;
            }
            return decode(audio.toByteArray(), grammar);
        }

        @Override
        public void close() {
            audio.reset();
        }
    }
}
