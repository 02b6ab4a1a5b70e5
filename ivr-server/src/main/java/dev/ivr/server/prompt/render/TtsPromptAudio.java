package dev.ivr.server.prompt.render;

import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link PromptAudio}: recordings converted for Asterisk, Asterisk sounds as they
 * are, texts spoken by the language's TTS voice; all cached by content and handed to the PBX
 * through the configured {@link Delivery}. A cache miss waits at most the latency budget;
 * past it the prompt is skipped (empty, with a log line) while the render finishes for the
 * next caller. Never returns a reference to a file that is not there.
 */
public final class TtsPromptAudio implements PromptAudio {
    private static final Logger LOG = LoggerFactory.getLogger(TtsPromptAudio.class);

    private final PromptRenderer renderer;
    private final Delivery delivery;
    private final Duration budget;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Timer missLatency;
    /** Ten seconds: longer than any latency budget, so a wait for a render is one command. */
    private static final int WAITING_SOUND_MILLIS = 10_000;
    private volatile String waitingSound;

    public TtsPromptAudio(PromptRenderer renderer, Delivery delivery, Duration budget, MeterRegistry registry) {
        this.renderer = renderer;
        this.delivery = delivery;
        this.budget = budget;
        this.registry = registry;
        this.missLatency = Timer.builder("ivr_prompt_miss_seconds")
                .description("Time a call waited for a prompt that was not cached yet")
                .publishPercentileHistogram().register(registry);
    }

    public PromptRenderer renderer() {
        return renderer;
    }

    public Delivery delivery() {
        return delivery;
    }

    @Override
    public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
        return prepare(prompt, renderedText).join();
    }

    @Override
    public Optional<String> fileFor(String text, String language) {
        return prepareText(text, language).join();
    }

    @Override
    public CompletableFuture<Optional<String>> prepare(PromptEntry prompt, String renderedText) {
        if (prompt.audio() != null) {
            Path file = prompt.source().getParent().resolve(prompt.audio()).normalize();
            // a recording that cannot be converted in time falls back to the sound, else to text to speech
            return await(renderer.recording(file, PromptRenderer.Priority.CALL), prompt.id())
                    .thenCompose(r -> r.isPresent() ? CompletableFuture.completedFuture(r) : fallback(prompt, renderedText));
        }
        return fallback(prompt, renderedText);
    }

    private CompletableFuture<Optional<String>> fallback(PromptEntry prompt, String renderedText) {
        if (prompt.sound() != null) {
            return CompletableFuture.completedFuture(Optional.of(prompt.sound()));
        }
        String text = renderedText != null ? renderedText : prompt.text();
        return text == null ? CompletableFuture.completedFuture(Optional.empty()) : speak(text, prompt.language(), prompt.id());
    }

    @Override
    public CompletableFuture<Optional<String>> prepareText(String text, String language) {
        return speak(text, language, "inline text");
    }

    @Override
    public void prefetch(PromptEntry prompt, String renderedText) {
        String text = renderedText != null ? renderedText : prompt.text();
        if (prompt.audio() != null || prompt.sound() != null || text == null || text.isBlank()) {
            return;
        }
        renderer.synthesizer().voiceFor(prompt.language()).ifPresent(voice -> {
            if (!renderer.isCached(PromptKey.forText(voice, text))) {
                renderer.text(text, voice, PromptRenderer.Priority.CALL);
            }
        });
    }

    @Override
    public CompletableFuture<?> prerender(PromptEntry prompt, String renderedText) {
        String text = renderedText != null ? renderedText : prompt.text();
        if (prompt.audio() != null || prompt.sound() != null || text == null || text.isBlank()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<String> voice = renderer.synthesizer().voiceFor(prompt.language());
        if (voice.isEmpty() || renderer.isCached(PromptKey.forText(voice.get(), text))) {
            return CompletableFuture.completedFuture(null);
        }
        return renderer.ahead(text, voice.get());
    }

    @Override
    public Optional<String> waitingSound() {
        String key = waitingSound;
        if (key == null) {
            try {
                key = renderer.silence(WAITING_SOUND_MILLIS);
                waitingSound = key;
            } catch (RuntimeException e) {
                LOG.warn("no waiting sound for prompts being rendered: {}", e.toString());
                return Optional.empty();
            }
        }
        return Optional.of(delivery.reference(key));
    }

    private CompletableFuture<Optional<String>> speak(String text, String language, String what) {
        if (text == null || text.isBlank()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<String> voice = renderer.synthesizer().voiceFor(language);
        if (voice.isEmpty()) {
            count("no_voice");
            LOG.warn("no TTS voice for language '{}' and no recording: {} is not played", language, what);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String key = PromptKey.forText(voice.get(), text);
        if (renderer.isCached(key)) {
            count("hit");
            return CompletableFuture.completedFuture(Optional.of(delivery.reference(key)));
        }
        return await(renderer.text(text, voice.get(), PromptRenderer.Priority.CALL), what);
    }

    /** The render's file, or empty when it fails or is not done within the latency budget (it goes on for the next caller). */
    private CompletableFuture<Optional<String>> await(CompletableFuture<String> job, String what) {
        if (job.isDone() && !job.isCompletedExceptionally() && renderer.isCached(job.join())) {
            return CompletableFuture.completedFuture(Optional.of(delivery.reference(job.join())));
        }
        long t0 = System.nanoTime();
        CompletableFuture<Optional<String>> out = new CompletableFuture<>();
        job.whenComplete((key, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (out.complete(Optional.empty())) {
                    count("failed");
                    LOG.warn("{} cannot be rendered: {}", what, cause.getMessage());
                }
            } else if (!renderer.isCached(key)) { // never hand the PBX a name that is not there
                if (out.complete(Optional.empty())) {
                    count("failed");
                    LOG.warn("rendered prompt {} vanished from the cache; {} is not played", key, what);
                }
            } else if (out.complete(Optional.of(delivery.reference(key)))) {
                missLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                count("rendered");
            }
        });
        CompletableFuture.delayedExecutor(budget.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (out.complete(Optional.empty())) {
                count("over_budget");
                LOG.warn("{} not rendered within the latency budget of {} ms: skipped for this caller (the render goes on)",
                        what, budget.toMillis());
            }
        });
        return out;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("ivr_prompt_requests_total")
                .description("Prompts asked for by calls, by outcome").tag("outcome", o).register(registry)).increment();
    }
}
