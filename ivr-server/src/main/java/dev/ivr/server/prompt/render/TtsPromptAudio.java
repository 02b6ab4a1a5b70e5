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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        if (prompt.audio() != null) {
            Path file = prompt.source().getParent().resolve(prompt.audio()).normalize();
            Optional<String> r = await(renderer.recording(file, PromptRenderer.Priority.CALL), prompt.id());
            if (r.isPresent()) {
                return r;
            }
        }
        if (prompt.sound() != null) {
            return Optional.of(prompt.sound());
        }
        String text = renderedText != null ? renderedText : prompt.text();
        return text == null ? Optional.empty() : speak(text, prompt.language(), prompt.id());
    }

    @Override
    public Optional<String> fileFor(String text, String language) {
        return speak(text, language, "inline text");
    }

    private Optional<String> speak(String text, String language, String what) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Optional<String> voice = renderer.synthesizer().voiceFor(language);
        if (voice.isEmpty()) {
            count("no_voice");
            LOG.warn("no TTS voice for language '{}' and no recording: {} is not played", language, what);
            return Optional.empty();
        }
        String key = PromptKey.forText(voice.get(), text);
        if (renderer.isCached(key)) {
            count("hit");
            return Optional.of(delivery.reference(key));
        }
        return await(renderer.text(text, voice.get(), PromptRenderer.Priority.CALL), what);
    }

    private Optional<String> await(CompletableFuture<String> job, String what) {
        long t0 = System.nanoTime();
        try {
            String key = job.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            missLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            if (!renderer.isCached(key)) { // never hand the PBX a name that is not there
                count("failed");
                LOG.warn("rendered prompt {} vanished from the cache; {} is not played", key, what);
                return Optional.empty();
            }
            count("rendered");
            return Optional.of(delivery.reference(key));
        } catch (TimeoutException e) {
            count("over_budget");
            LOG.warn("{} not rendered within the latency budget of {} ms: skipped for this caller (the render goes on)",
                    what, budget.toMillis());
            return Optional.empty();
        } catch (ExecutionException e) {
            count("failed");
            LOG.warn("{} cannot be rendered: {}", what, e.getCause().getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("ivr_prompt_requests_total")
                .description("Prompts asked for by calls, by outcome").tag("outcome", o).register(registry)).increment();
    }
}
