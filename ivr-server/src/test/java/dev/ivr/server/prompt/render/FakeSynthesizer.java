package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.Pcm;
import dev.ivr.server.tts.Synthesizer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test TTS engine: English only, "speaks" 100 ms of a tone per character at 16 kHz, records
 * every text it is asked for, and can be held until released.
 */
public final class FakeSynthesizer implements Synthesizer {
    final List<String> spoken = new CopyOnWriteArrayList<>();
    final AtomicBoolean ready = new AtomicBoolean(true);
    volatile CompletableFuture<Void> hold = CompletableFuture.completedFuture(null);
    private final Map<String, String> voices;

    public FakeSynthesizer() {
        this(Map.of("en", "fake-voice"));
    }

    public FakeSynthesizer(Map<String, String> voices) {
        this.voices = voices;
    }

    @Override
    public Optional<String> voiceFor(String language) {
        return Optional.ofNullable(voices.get(language));
    }

    @Override
    public boolean isReady() {
        return ready.get();
    }

    @Override
    public Pcm synthesize(String text, String voice) {
        hold.join();
        spoken.add(text);
        int n = 16000 * text.length() / 100 * 1; // 10 ms per character
        short[] s = new short[Math.max(1600, n)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (3000 * Math.sin(2 * Math.PI * (200 + 10 * (text.hashCode() & 15)) * i / 16000.0));
        }
        return new Pcm(s, 16000);
    }

    int count() {
        return spoken.size();
    }
}
