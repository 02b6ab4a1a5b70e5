package dev.ivr.server.speech.sphinx;

import dev.ivr.server.speech.Recognizer.Recognition;
import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.jsgf.JSGFGrammar;
import edu.cmu.sphinx.jsgf.JSGFGrammarException;
import edu.cmu.sphinx.jsgf.JSGFGrammarParseException;
import edu.cmu.sphinx.jsgf.JSGFRuleGrammar;
import edu.cmu.sphinx.jsgf.JSGFRuleGrammarFactory;
import edu.cmu.sphinx.jsgf.JSGFRuleGrammarManager;
import edu.cmu.sphinx.jsgf.parser.JSGFParser;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.ConfigurationManagerUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Sphinx4 pipeline (front end, acoustic model, dictionary, JSGF grammar, flat linguist,
 * search): decodes one whole utterance at a time against the phrases of a {@link SphinxGrammar}.
 * Not thread-safe, and its acoustic model keeps per-frame state, so a decoder is used by one
 * thread at a time and nothing in it is shared with another decoder.
 */
final class SphinxDecoder {
    static final int SAMPLE_RATE = 16_000;
    /** Sphinx's log base (LogMath's default): scores are log_1.0001 of probabilities. */
    private static final double LN_LOG_BASE = Math.log(1.0001);

    private final edu.cmu.sphinx.recognizer.Recognizer recognizer;
    private final JSGFGrammar grammar;
    private final StreamDataSource source;
    private final double confidenceScale;
    private String loadedJsgf;

    private SphinxDecoder(ConfigurationManager cm, double confidenceScale) {
        this.recognizer = (edu.cmu.sphinx.recognizer.Recognizer) cm.lookup("recognizer");
        this.grammar = (JSGFGrammar) cm.lookup("grammar");
        this.source = (StreamDataSource) cm.lookup("dataSource");
        this.confidenceScale = confidenceScale;
    }

    /**
     * Loads a pipeline with a model (acoustic model directory and dictionary, as class path or
     * file locations that Sphinx4 understands). Takes seconds: never on a call's thread.
     */
    static SphinxDecoder load(SphinxModel model, SphinxTuning tuning) throws IOException {
        URL config = SphinxDecoder.class.getResource("sphinx4.xml");
        URL start = SphinxDecoder.class.getResource("start.gram");
        if (config == null || start == null) {
            throw new IOException("sphinx4.xml or start.gram is missing from the class path");
        }
        ConfigurationManager cm = new ConfigurationManager(config);
        routeLogging(config);
        String base = start.toString().substring(0, start.toString().length() - "start.gram".length());
        set(cm, "grammar->grammarLocation", base);
        set(cm, "acousticModelLoader->location", model.acousticModel());
        set(cm, "dictionary->dictionaryPath", model.dictionary());
        set(cm, "dictionary->fillerPath", model.fillerDictionary());
        set(cm, "activeList->absoluteBeamWidth", Integer.toString(tuning.absoluteBeam()));
        set(cm, "flatLinguist->outOfGrammarProbability", Double.toString(tuning.outOfGrammarProbability()));
        set(cm, "flatLinguist->wordInsertionProbability", Double.toString(tuning.wordInsertionProbability()));
        set(cm, "flatLinguist->languageWeight", Double.toString(tuning.languageWeight()));
        set(cm, "dither->maxDither", Double.toString(tuning.dither()));
        SphinxDecoder d = new SphinxDecoder(cm, tuning.confidenceScale());
        try {
            d.recognizer.allocate();
        } catch (RuntimeException e) {
            throw new IOException("Sphinx4 could not load the model " + model + ": " + e, e);
        }
        d.loadedJsgf = "";
        return d;
    }

    private static void set(ConfigurationManager cm, String property, String value) {
        ConfigurationManagerUtils.setProperty(cm, property, value);
    }

    /**
     * Sphinx4 gives its loggers (named after the configuration file) a console handler of its
     * own; take it off, so that what Sphinx4 has to say goes through the server's logging.
     */
    private static void routeLogging(URL config) {
        String file = config.getFile();
        String name = file.substring(file.lastIndexOf('/') + 1).replace(".xml", "");
        Logger logger = Logger.getLogger(name);
        for (Handler h : logger.getHandlers()) {
            logger.removeHandler(h);
        }
        logger.setUseParentHandlers(true);
        logger.setLevel(Level.WARNING);
    }

    /**
     * Decodes 16 kHz 16-bit samples against the grammar's phrases.
     *
     * @return the phrase recognised (as the grammar gave it) with a confidence, or nothing
     */
    Recognition decode(short[] samples, SphinxGrammar g) throws IOException {
        useGrammar(g.jsgf());
        byte[] le = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            le[2 * i] = (byte) samples[i];
            le[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        source.setInputStream(new ByteArrayInputStream(le));
        Result result = recognizer.recognize();
        if (result == null) {
            return Recognition.NOTHING;
        }
        Token best = result.getBestFinalToken();
        if (best == null) {
            return Recognition.NOTHING;
        }
        String words = best.getWordPathNoFiller().strip();
        String phrase = g.phraseOf(words);
        if (phrase == null) { // <unk>: the out-of-grammar branch won
            return Recognition.NOTHING;
        }
        return new Recognition(phrase, confidence(result, best));
    }

    /**
     * How far the best phrase is ahead of the other hypotheses that reached the end of the
     * utterance (other phrases and the out-of-grammar branch): a posterior over the best score
     * of each distinct word sequence, the log scores scaled down as acoustic scores need to be.
     */
    private double confidence(Result result, Token best) {
        Map<String, Float> byWords = new HashMap<>();
        for (Token t : result.getResultTokens()) {
            byWords.merge(t.getWordPathNoFiller().strip(), t.getScore(), Math::max);
        }
        double sum = 0;
        for (float s : byWords.values()) {
            sum += Math.exp((s - best.getScore()) * LN_LOG_BASE * confidenceScale);
        }
        return sum <= 0 ? 1 : Math.min(1, 1 / sum);
    }

    /** Replaces the grammar's rules with those of this JSGF text (only when it changed since the last utterance). */
    private void useGrammar(String jsgf) throws IOException {
        if (jsgf.equals(loadedJsgf)) {
            return;
        }
        try {
            JSGFRuleGrammar parsed = JSGFParser.newGrammarFromJSGF(new StringReader(jsgf),
                    new JSGFRuleGrammarFactory(new JSGFRuleGrammarManager()));
            JSGFRuleGrammar live = grammar.getRuleGrammar();
            for (String rule : new ArrayList<>(live.getRuleNames())) {
                live.deleteRule(rule);
            }
            for (String rule : parsed.getRuleNames()) {
                live.setRule(rule, parsed.getRule(rule), parsed.isRulePublic(rule));
            }
            grammar.commitChanges();
        } catch (JSGFGrammarParseException | JSGFGrammarException | RuntimeException e) {
            loadedJsgf = null;
            throw new IOException("Sphinx4 refused the grammar: " + e, e);
        }
        loadedJsgf = jsgf;
    }

    void close() {
        try {
            recognizer.deallocate();
        } catch (RuntimeException e) {
            // nothing to keep
        }
    }
}
