package dev.ivr.server.tts.espeak;

import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.config.ESpeakConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.tts.Synthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * eSpeak NG through its command line ({@code espeak-ng}, Debian package {@code espeak-ng}):
 * one process per text, the text on standard input (never on the command line, so no text is
 * read as an option), a WAV file out (22,050 Hz mono), which the prompt layer masters for
 * Asterisk like MaryTTS's audio. Voice names are {@code espeak-ng:<voice>[+variant]}.
 *
 * <p>Why the command line and not libespeak-ng through JNA: the library keeps global state
 * (one voice, one callback, not thread-safe) and a crash in it would take the server down; a
 * process per text costs some 20-40 ms (docs/benchmarks.md) and isolates both.
 */
public final class ESpeakNg implements AutoCloseable {
    public static final String PREFIX = "espeak-ng:";
    private static final Logger LOG = LoggerFactory.getLogger(ESpeakNg.class);
    /** Phoneme input ("[[h@'loU]]") is eSpeak's own markup: never taken from text. */
    private static final Pattern PHONEMES = Pattern.compile("\\[\\[|]]");

    private final ESpeakConfig config;
    private final CompletableFuture<Set<String>> installed = new CompletableFuture<>();
    private volatile String version = "";
    private volatile String error;

    private ESpeakNg(ESpeakConfig config) {
        this.config = config;
    }

    /** Checks the program and lists its voices in the background; returns at once. */
    public static ESpeakNg start(ESpeakConfig config) {
        ESpeakNg e = new ESpeakNg(config);
        if (!config.enabled()) {
            e.error = "disabled in configuration (tts.espeak.enabled: false)";
            e.installed.complete(Set.of());
            return e;
        }
        Thread.ofPlatform().name("espeak-start").daemon(true).start(e::probe);
        return e;
    }

    private void probe() {
        try {
            String v = run(List.of(config.command(), "--version"), null).strip();
            version = v.replaceAll("\\s+Data at:.*", "");
            String list = run(List.of(config.command(), "--voices"), null);
            Set<String> voices = new TreeSet<>();
            for (String line : list.lines().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5) {
                    voices.add(f[1].toLowerCase(Locale.ROOT)); // the language code, which is how voices are chosen
                }
            }
            LOG.info("eSpeak NG ready: {} ({} voices)", version, voices.size());
            installed.complete(voices);
        } catch (IOException | RuntimeException e) {
            error = config.command() + " cannot run: " + e.getMessage() + " (Debian: apt-get install espeak-ng)";
            LOG.warn("eSpeak NG unavailable: {}", error);
            installed.complete(Set.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            installed.complete(Set.of());
        }
    }

    private String run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Thread::startVirtualThread);
        if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("no answer within " + config.timeout().toMillis() + " ms");
        }
        String text = new String(out.join(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit status " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** Waits until the program has been checked; true when it can speak. */
    public boolean awaitReady(long timeout, TimeUnit unit) {
        try {
            installed.get(timeout, unit);
        } catch (Exception e) {
            return false;
        }
        return isReady();
    }

    public boolean isReady() {
        return installed.isDone() && error == null;
    }

    /** The voice of a language as configured ({@code pt-BR} falls back to {@code pt}), with the prefix. */
    public static Optional<String> voiceFor(ESpeakConfig config, String language) {
        if (!config.enabled() || language == null) {
            return Optional.empty();
        }
        Map<String, String> voices = lower(config.voices());
        String lang = language.toLowerCase(Locale.ROOT);
        String v = voices.get(lang);
        if (v == null && lang.contains("-")) {
            v = voices.get(lang.substring(0, lang.indexOf('-')));
        }
        return Optional.ofNullable(v).map(s -> PREFIX + s);
    }

    private static Map<String, String> lower(Map<String, String> m) {
        Map<String, String> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** Whether eSpeak NG has the voice (by its language code); unknown until started. */
    public boolean hasVoice(String voice) {
        if (!isReady()) {
            return false;
        }
        String name = voice.startsWith(PREFIX) ? voice.substring(PREFIX.length()) : voice;
        String base = name.contains("+") ? name.substring(0, name.indexOf('+')) : name;
        return installed.join().contains(base.toLowerCase(Locale.ROOT));
    }

    /**
     * Speaks plain text with a voice ({@code espeak-ng:hu}).
     *
     * @throws IllegalStateException        when eSpeak NG is not available
     * @throws Synthesizer.TtsException when it fails on this text
     */
    public Pcm synthesize(String text, String voice) {
        if (!isReady()) {
            throw new IllegalStateException("eSpeak NG is not available: " + (error != null ? error : "starting"));
        }
        String name = voice.startsWith(PREFIX) ? voice.substring(PREFIX.length()) : voice;
        Path wav = null;
        try {
            wav = Files.createTempFile("ivr-espeak", ".wav");
            List<String> cmd = new ArrayList<>(List.of(config.command(), "-v", name, "-s", Integer.toString(config.rate()),
                    "-b", "1", "-w", wav.toString()));
            run(cmd, PHONEMES.matcher(text).replaceAll(" ").getBytes(StandardCharsets.UTF_8));
            return Wav.read(Files.readAllBytes(wav));
        } catch (IOException e) {
            throw new Synthesizer.TtsException("eSpeak NG could not speak \"" + abbreviate(text) + "\" with " + name + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Synthesizer.TtsException("interrupted", e);
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    public String version() {
        return version;
    }

    public Health health() {
        if (!config.enabled()) {
            return Health.up("eSpeak NG off");
        }
        if (!installed.isDone()) {
            return Health.starting("eSpeak NG: checking " + config.command());
        }
        return error == null ? Health.up(version) : Health.down(error);
    }

    @Override
    public void close() {
        installed.complete(Set.of());
    }
}
