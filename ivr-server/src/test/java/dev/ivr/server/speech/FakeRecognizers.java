package dev.ivr.server.speech;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test recognizer factory: knows the given languages; each recognizer keeps every byte it is
 * fed and "recognises" the configured text when it got at least {@code minBytes} of audio that
 * is not digital silence (nothing otherwise).
 */
public final class FakeRecognizers implements RecognizerFactory {
    final Map<String, String> answers;
    final int minBytes;
    public final List<Fake> opened = new CopyOnWriteArrayList<>();

    public FakeRecognizers(Map<String, String> answers, int minBytes) {
        this.answers = answers;
        this.minBytes = minBytes;
    }

    @Override
    public ModelStatus status(String language) {
        return answers.containsKey(language) ? new ModelStatus(language, true, "fake")
                : new ModelStatus(language, false, "no model for " + language);
    }

    @Override
    public Recognizer open(String language, List<String> phrases) {
        if (!answers.containsKey(language)) {
            throw new SpeechUnavailableException("no model for " + language);
        }
        Fake f = new Fake(answers.get(language), phrases);
        opened.add(f);
        return f;
    }

    public final class Fake implements Recognizer {
        final String answer;
        public final List<String> phrases;
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        public volatile boolean closed;
        volatile boolean finished;

        Fake(String answer, List<String> phrases) {
            this.answer = answer;
            this.phrases = phrases;
        }

        @Override
        public synchronized void accept(byte[] slin, int length) {
            audio.write(slin, 0, length);
        }

        synchronized byte[] received() {
            return audio.toByteArray();
        }

        public synchronized int nonSilentBytes() {
            int n = 0;
            for (byte b : audio.toByteArray()) {
                if (b != 0) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public Recognition finish() {
            finished = true;
            return nonSilentBytes() >= minBytes ? new Recognition(answer, 0.87) : Recognition.NOTHING;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
