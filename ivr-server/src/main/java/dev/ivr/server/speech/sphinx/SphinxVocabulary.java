package dev.ivr.server.speech.sphinx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The words of a Sphinx4 pronunciation dictionary (one entry a line: the word, alternative
 * pronunciations as {@code word(2)}, then its phones), read once so that grammars can be
 * checked on any thread without touching a decoder.
 */
final class SphinxVocabulary {
    private SphinxVocabulary() {
    }

    /** The bundled model's words, read once per process (for servers and tools alike). */
    static Set<String> bundled() throws IOException {
        return Bundled.get();
    }

    private static final class Bundled {
        private static Set<String> words;

        static synchronized Set<String> get() throws IOException {
            if (words == null) {
                words = read(SphinxModel.BUNDLED_EN_US.dictionary());
            }
            return words;
        }
    }

    static Set<String> read(String location) throws IOException {
        URL url = SphinxModel.resource(location);
        try (InputStream in = url != null ? url.openStream() : Files.newInputStream(Path.of(location));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Set<String> words = new HashSet<>(200_000);
            String line;
            while ((line = r.readLine()) != null) {
                int end = 0;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '(') {
                    end++;
                }
                if (end > 0) {
                    words.add(line.substring(0, end));
                }
            }
            return Set.copyOf(words);
        }
    }
}
