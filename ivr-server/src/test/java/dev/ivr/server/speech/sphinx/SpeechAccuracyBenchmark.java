package dev.ivr.server.speech.sphinx;

import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.ESpeakConfig;
import dev.ivr.server.config.SphinxConfig;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.speech.PhoneLine;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.tts.espeak.ESpeakNg;
import dev.ivr.server.tts.marytts.MaryTts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Recognition accuracy and latency of the Sphinx4 recogniser on the shipped menus' English
 * phrases, for docs/benchmarks.md. Every phrase of every shipped menu (and listen node) is spoken
 * by three speakers (MaryTTS cmu-slt-hsmm; eSpeak NG en-us at 160 and at 230 words a minute),
 * mastered to 8 kHz as prompts are, sent through G.711 mu-law as a phone line does, clean and
 * with white line noise 20 dB and 10 dB below the speech, with 300 ms of line before and after;
 * then decoded against the menu's grammar through {@link SphinxRecognizers} exactly as a call's
 * utterance is (8 kHz in, resampled, decoded on the decoder pool). Counted: the phrase, the menu
 * option (a synonym of the same option is still the right choice), the option accepted by the
 * menu (confidence at least its min-confidence 0.5), and sentences outside the grammar wrongly
 * accepted. Latency: from the end of the utterance (finish) to the result. Run (quiet CPU):
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am install -DskipTests
 * flock /tmp/ivr-suite.lock ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.speech.sphinx.SpeechAccuracyBenchmark
 * </pre>
 * With {@code -Dsweep=true -Dtunings="beam,oog,wip,lw,scale,dither;..."} it compares decoder tunings
 * instead (accuracy only).
 */
public final class SpeechAccuracyBenchmark {
    /** Things callers say that are none of the menu's phrases. */
    static final List<String> OUT_OF_GRAMMAR = List.of("what are your opening hours", "cancel my contract", "hello",
            "I have a question", "my phone is broken", "thank you", "goodbye", "can you hear me");

    record Speaker(String name, Function<String, Pcm> voice) {
    }

    record Condition(String name, Function<Pcm, Pcm> line) {
    }

    record Phrase(String text, String option, List<String> grammar) {
    }

    public static void main(String[] args) throws Exception {
        List<Phrase> phrases = shippedPhrases(Path.of(System.getProperty("flows", java.nio.file.Files.isDirectory(Path.of("flows")) ? "flows" : "../flows")));
        List<Speaker> speakers = speakers();
        List<Condition> conditions = List.of(
                new Condition("clean (mu-law)", p -> PhoneLine.ulaw(p)),
                new Condition("noise 20 dB", p -> PhoneLine.ulaw(PhoneLine.noise(p, 20, 7))),
                new Condition("noise 10 dB", p -> PhoneLine.ulaw(PhoneLine.noise(p, 10, 7))));
        // render once: synthesis is not what is measured
        Map<String, Pcm> audio = new LinkedHashMap<>();
        List<String> texts = new ArrayList<>();
        phrases.forEach(p -> texts.add(p.text()));
        texts.addAll(OUT_OF_GRAMMAR);
        for (Speaker s : speakers) {
            for (String t : texts) {
                audio.put(s.name() + "|" + t, s.voice().apply(t));
            }
        }
        if (Boolean.getBoolean("sweep")) {
            sweep(phrases, speakers, conditions, audio);
        } else {
            report(phrases, speakers, conditions, audio, System.getProperty("tuning") == null ? SphinxTuning.DEFAULT
                    : SphinxTuning.parse(System.getProperty("tuning")));
        }
        System.exit(0);
    }

    static List<Speaker> speakers() throws Exception {
        MaryTts mary = MaryTts.start(ConfigLoader.load(Map.of()).tts());
        if (!mary.awaitReady(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("MaryTTS did not start");
        }
        ESpeakNg normal = ESpeakNg.start(new ESpeakConfig(true, "espeak-ng", Map.of(), 160, Duration.ofSeconds(30)));
        ESpeakNg fast = ESpeakNg.start(new ESpeakConfig(true, "espeak-ng", Map.of(), 230, Duration.ofSeconds(30)));
        if (!normal.awaitReady(1, TimeUnit.MINUTES) || !fast.awaitReady(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("eSpeak NG did not start (apt-get install espeak-ng)");
        }
        String slt = mary.voiceFor("en").orElseThrow();
        return List.of(
                new Speaker("MaryTTS " + slt, t -> Mastering.master(mary.synthesize(t, slt), 8000)),
                new Speaker("eSpeak NG en-us 160 wpm", t -> Mastering.master(normal.synthesize(t, ESpeakNg.PREFIX + "en-us"), 8000)),
                new Speaker("eSpeak NG en-us 230 wpm", t -> Mastering.master(fast.synthesize(t, ESpeakNg.PREFIX + "en-us"), 8000)));
    }

    /** Every English phrase of every menu and listen node of the shipped flows, with its option and its node's grammar. */
    static List<Phrase> shippedPhrases(Path flows) {
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(flows, flows.resolveSibling("prompts"),
                flows.resolveSibling("config").resolve("calendars.yaml"), SpeechModels.SIMULATED));
        List<Phrase> out = new ArrayList<>();
        loaded.flowSet().flows().values().forEach(flow -> flow.nodes().values().forEach(node -> {
            Node.Phrases ph = switch (node) {
                case Node.Menu m when m.speech() != null -> m.speech().phrases();
                case Node.Listen l -> l.phrases();
                default -> null;
            };
            if (ph != null && ph.has("en")) {
                List<String> grammar = ph.list("en");
                for (String p : grammar) {
                    out.add(new Phrase(p, ph.value("en", p), grammar));
                }
            }
        }));
        if (out.isEmpty()) {
            throw new IllegalStateException("no English phrases in " + flows);
        }
        return out;
    }

    static byte[] utterance(Pcm speech, Condition c) {
        Pcm withLine = Pcm.silence(8000, 300).append(speech).append(Pcm.silence(8000, 300));
        return Wav.raw(c.line().apply(withLine));
    }

    static void report(List<Phrase> phrases, List<Speaker> speakers, List<Condition> conditions, Map<String, Pcm> audio,
                       SphinxTuning tuning) throws Exception {
        SphinxConfig config = new SphinxConfig(true, 1, 16, Duration.ofSeconds(30));
        try (SphinxRecognizers sphinx = SphinxRecognizers.start(config, tuning)) {
            if (!sphinx.awaitReady(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(sphinx.status("en").detail());
            }
            List<String> grammar = phrases.get(0).grammar();
            warmUp(sphinx, grammar, audio.get(speakers.get(0).name() + "|" + phrases.get(0).text()), conditions.get(0));
            System.out.printf("%d phrases (%d grammar(s)), %d speakers, %d line conditions; one decoder, tuning %s%n%n",
                    phrases.size(), phrases.stream().map(Phrase::grammar).distinct().count(), speakers.size(),
                    conditions.size(), tuning);
            System.out.println("| speaker | line | phrase right | option right | option accepted (conf. >= 0.5) | out-of-grammar accepted | latency p50 | p90 | max |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            List<Long> all = new ArrayList<>();
            int[] total = new int[4];
            for (Speaker s : speakers) {
                for (Condition c : conditions) {
                    int phraseOk = 0;
                    int optionOk = 0;
                    int accepted = 0;
                    int falseAccepts = 0;
                    List<Long> millis = new ArrayList<>();
                    for (Phrase p : phrases) {
                        Timed t = recognise(sphinx, p.grammar(), utterance(audio.get(s.name() + "|" + p.text()), c));
                        millis.add(t.millis());
                        String option = t.r().isEmpty() ? null : optionOf(phrases, p.grammar(), t.r().text());
                        phraseOk += t.r().text().equals(p.text()) ? 1 : 0;
                        optionOk += p.option().equals(option) ? 1 : 0;
                        accepted += p.option().equals(option) && t.r().confidence() >= 0.5 ? 1 : 0;
                        if (Boolean.getBoolean("verbose") && !t.r().text().equals(p.text())) {
                            System.out.printf("  %s / %s: '%s' heard as '%s' (%.2f)%n", s.name(), c.name(), p.text(),
                                    t.r().text(), t.r().confidence());
                        }
                    }
                    for (String o : OUT_OF_GRAMMAR) {
                        Timed t = recognise(sphinx, grammar, utterance(audio.get(s.name() + "|" + o), c));
                        falseAccepts += !t.r().isEmpty() && t.r().confidence() >= 0.5 ? 1 : 0;
                        if (Boolean.getBoolean("verbose") && !t.r().isEmpty()) {
                            System.out.printf("  %s / %s: '%s' (not a phrase) heard as '%s' (%.2f)%n", s.name(), c.name(), o,
                                    t.r().text(), t.r().confidence());
                        }
                    }
                    all.addAll(millis);
                    total[0] += phraseOk;
                    total[1] += optionOk;
                    total[2] += accepted;
                    total[3] += falseAccepts;
                    long[] m = millis.stream().mapToLong(Long::longValue).sorted().toArray();
                    System.out.printf("| %s | %s | %d/%d | %d/%d | %d/%d | %d/%d | %d ms | %d ms | %d ms |%n", s.name(), c.name(),
                            phraseOk, phrases.size(), optionOk, phrases.size(), accepted, phrases.size(), falseAccepts,
                            OUT_OF_GRAMMAR.size(), m[m.length / 2], m[m.length * 9 / 10], m[m.length - 1]);
                }
            }
            int n = phrases.size() * speakers.size() * conditions.size();
            long[] m = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("| **all** | | %d/%d (%.0f%%) | %d/%d (%.0f%%) | %d/%d (%.0f%%) | %d/%d | %d ms | %d ms | %d ms |%n",
                    total[0], n, 100.0 * total[0] / n, total[1], n, 100.0 * total[1] / n, total[2], n, 100.0 * total[2] / n,
                    total[3], OUT_OF_GRAMMAR.size() * speakers.size() * conditions.size(),
                    m[m.length / 2], m[m.length * 9 / 10], m[m.length - 1]);
        }
    }

    private static void warmUp(SphinxRecognizers sphinx, List<String> grammar, Pcm audio, Condition c) {
        for (int i = 0; i < 3; i++) {
            recognise(sphinx, grammar, utterance(audio, c));
        }
    }

    static String optionOf(List<Phrase> phrases, List<String> grammar, String text) {
        return phrases.stream().filter(p -> p.grammar().equals(grammar) && p.text().equals(text)).map(Phrase::option)
                .findFirst().orElse(null);
    }

    record Timed(Recognizer.Recognition r, long millis) {
    }

    /** One utterance as a call gives it: 20 ms frames in, then finish(). */
    static Timed recognise(SphinxRecognizers sphinx, List<String> grammar, byte[] slin) {
        try (Recognizer r = sphinx.open("en", grammar)) {
            for (int off = 0; off < slin.length; off += 320) {
                r.accept(Arrays.copyOfRange(slin, off, Math.min(slin.length, off + 320)), Math.min(320, slin.length - off));
            }
            long t0 = System.nanoTime();
            Recognizer.Recognition res = r.finish();
            return new Timed(res, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Accuracy of decoder tunings side by side (to choose SphinxTuning.DEFAULT). */
    static void sweep(List<Phrase> phrases, List<Speaker> speakers, List<Condition> conditions, Map<String, Pcm> audio)
            throws Exception {
        List<SphinxTuning> tunings = new ArrayList<>();
        for (String t : System.getProperty("tunings", "").split(";")) {
            if (!t.isBlank()) {
                tunings.add(SphinxTuning.parse(t));
            }
        }
        System.out.println("| tuning | option right | option accepted | out-of-grammar answered | out-of-grammar accepted | mean latency |");
        System.out.println("|---|---|---|---|---|---|");
        for (SphinxTuning t : tunings) {
            try (SphinxRecognizers sphinx = SphinxRecognizers.start(new SphinxConfig(true, 1, 16, Duration.ofSeconds(30)), t)) {
                sphinx.awaitReady(2, TimeUnit.MINUTES);
                int ok = 0;
                int accepted = 0;
                int n = 0;
                int oogAnswered = 0;
                int oogAccepted = 0;
                long millis = 0;
                for (Speaker s : speakers) {
                    for (Condition c : conditions) {
                        for (Phrase p : phrases) {
                            Timed r = recognise(sphinx, p.grammar(), utterance(audio.get(s.name() + "|" + p.text()), c));
                            boolean right = p.option().equals(optionOf(phrases, p.grammar(), r.r().text()));
                            ok += right ? 1 : 0;
                            accepted += right && r.r().confidence() >= 0.5 ? 1 : 0;
                            millis += r.millis();
                            n++;
                        }
                        for (String o : OUT_OF_GRAMMAR) {
                            Recognizer.Recognition r = recognise(sphinx, phrases.get(0).grammar(),
                                    utterance(audio.get(s.name() + "|" + o), c)).r();
                            oogAnswered += r.isEmpty() ? 0 : 1;
                            oogAccepted += !r.isEmpty() && r.confidence() >= 0.5 ? 1 : 0;
                        }
                    }
                }
                int m = OUT_OF_GRAMMAR.size() * speakers.size() * conditions.size();
                System.out.printf(Locale.ROOT, "| %s | %d/%d | %d/%d | %d/%d | %d/%d | %d ms |%n", t, ok, n, accepted, n,
                        oogAnswered, m, oogAccepted, m, millis / n);
            }
        }
    }
}
