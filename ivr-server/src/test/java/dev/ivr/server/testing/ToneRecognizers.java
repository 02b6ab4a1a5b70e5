package dev.ivr.server.testing;

import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test recognizer that really listens to the audio it gets over AudioSocket: it measures the
 * pitch of the caller's "speech" (a tone) by its zero crossings and hears a word for it, the way
 * Vosk with a grammar hears a phrase or "[unk]". So a test decides what the caller says by the
 * tone the fake PBX streams, and a wrong tone is a word outside the grammar.
 */
public final class ToneRecognizers implements RecognizerFactory {
    /** Pitch (Hz) → the word heard. */
    public static final Map<Integer, String> WORDS = Map.of(440, "billing", 660, "support", 880, "sales");
    /** Any other tone. */
    public static final int GARBLE = 1200;

    private final Set<String> languages;

    public ToneRecognizers(Set<String> languages) {
        this.languages = languages;
    }

    /** What a caller says: 300 ms of line noise floor, the word's tone for 700 ms, then silence. */
    public static byte[] say(String word) {
        int hz = WORDS.entrySet().stream().filter(e -> e.getValue().equals(word)).map(Map.Entry::getKey).findFirst()
                .orElseThrow();
        return utterance(hz);
    }

    public static byte[] garble() {
        return utterance(GARBLE);
    }

    private static byte[] utterance(int hz) {
        int lead = 8 * 300;
        int tone = 8 * 700;
        int tail = 8 * 1500;
        byte[] b = new byte[2 * (lead + tone + tail)];
        for (int i = 0; i < tone; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
            b[2 * (lead + i)] = (byte) s;
            b[2 * (lead + i) + 1] = (byte) (s >> 8);
        }
        return b;
    }

    @Override
    public ModelStatus status(String language) {
        return languages.contains(language) ? new ModelStatus(language, true, "tone model")
                : new ModelStatus(language, false, "no model for " + language);
    }

    @Override
    public Recognizer open(String language, List<String> phrases) {
        if (!languages.contains(language)) {
            throw new SpeechUnavailableException("no model for " + language);
        }
        return new Recognizer() {
            long crossings;
            long voiced;
            short last;

            @Override
            public void accept(byte[] slin, int length) {
                for (int i = 0; i + 1 < length; i += 2) {
                    short s = (short) ((slin[i] & 0xff) | (slin[i + 1] << 8));
                    if (Math.abs(s) > 100) {
                        voiced++;
                        if ((s > 0) != (last > 0)) {
                            crossings++;
                        }
                        last = s;
                    }
                }
            }

            @Override
            public Recognition finish() {
                if (voiced < 800) {
                    return Recognition.NOTHING;
                }
                double hz = crossings / 2.0 / (voiced / 8000.0);
                for (var e : WORDS.entrySet()) {
                    if (Math.abs(hz - e.getKey()) < 60) {
                        return new Recognition(e.getValue(), 0.92);
                    }
                }
                return new Recognition("[unk]", 0.5);
            }

            @Override
            public void close() {
            }
        };
    }
}
