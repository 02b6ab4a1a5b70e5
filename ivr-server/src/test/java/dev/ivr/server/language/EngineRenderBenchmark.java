package dev.ivr.server.language;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.prompt.render.PromptCache;
import dev.ivr.server.prompt.render.PromptRenderer;
import dev.ivr.server.prompt.render.SharedAudio;
import dev.ivr.server.prompt.say.SpokenForms;
import dev.ivr.server.tts.engines.TtsEngines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rendering speed per engine for docs/benchmarks.md: a cache miss for a prompt of about five
 * seconds (synthesis + mastering + wav and sln16 files), per language and engine; a different
 * sentence each time (a number in words inside it), so each is a real miss. Run (quiet CPU):
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am install -DskipTests
 * flock /tmp/ivr-suite.lock ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.language.EngineRenderBenchmark
 * </pre>
 */
public final class EngineRenderBenchmark {
    /** About five seconds of speech in each language, with a slot for a number. */
    static final Map<String, String> SENTENCES = Map.of(
            "en", "Hello, your balance is %s dollars, and your next bill is due on the second of December.",
            "hu", "Jó napot! Az egyenlege %s forint, a következő számla december másodikán esedékes.",
            "de", "Guten Tag! Ihr Guthaben beträgt %s Euro, die nächste Rechnung ist am zweiten Dezember fällig.",
            "it", "Buongiorno! Il Suo saldo è di %s euro, e la prossima fattura scade il due dicembre.",
            "es", "Buenos días. Su saldo es de %s euros, y la próxima factura vence el dos de diciembre.");

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(System.getProperty("misses", "20"));
        TtsEngines tts = TtsEngines.start(ConfigLoader.load(Map.of()).tts());
        if (!tts.awaitReady(5, TimeUnit.MINUTES) || !tts.mary().isReady() || !tts.espeak().isReady()) {
            throw new IllegalStateException("both engines must run: " + tts.health());
        }
        Path dir = Files.createTempDirectory("engine-bench");
        try (PromptRenderer renderer = new PromptRenderer(tts, new PromptCache(dir, List.of(AsteriskFormat.WAV,
                AsteriskFormat.SLN16), SharedAudio.NONE))) {
            System.out.println("| language | engine, voice | audio | cache miss p50 | p90 | max |");
            System.out.println("|---|---|---|---|---|---|");
            for (String lang : List.of("en", "hu", "de", "it", "es")) {
                String voice = tts.voiceFor(lang).orElseThrow();
                SpokenForms forms = SpokenForms.forLanguage(lang).orElseThrow();
                for (int i = 0; i < 3; i++) { // warm-up
                    renderer.text(SENTENCES.get(lang).formatted(forms.cardinal(900 + i)), voice,
                            PromptRenderer.Priority.CALL).get(1, TimeUnit.MINUTES);
                }
                long[] millis = new long[n];
                double audio = 0;
                for (int i = 0; i < n; i++) {
                    String text = SENTENCES.get(lang).formatted(forms.cardinal(1_000 + 37L * i));
                    long t0 = System.nanoTime();
                    String key = renderer.text(text, voice, PromptRenderer.Priority.CALL).get(1, TimeUnit.MINUTES);
                    millis[i] = (System.nanoTime() - t0) / 1_000_000;
                    audio += dev.ivr.server.audio.Wav.read(Files.readAllBytes(renderer.cache().file(key,
                            AsteriskFormat.WAV))).durationSeconds();
                }
                Arrays.sort(millis);
                System.out.printf("| %s | %s %s | %.1f s | %d ms | %d ms | %d ms |%n", lang, TtsEngines.engineOf(voice),
                        voice.replace("espeak-ng:", ""), audio / n, millis[n / 2], millis[n * 9 / 10], millis[n - 1]);
            }
        }
        tts.close();
        System.exit(0);
    }
}
