package dev.ivr.server.prompt.say;

import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.prompt.render.Delivery;
import dev.ivr.server.prompt.render.PromptRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Numbers, amounts, dates, times and digit strings spoken in the caller's language, built
 * from segments rendered ahead of time ({@link #segments}) and joined into one file: no
 * synthesis on the call's path once the segments are cached.
 *
 * <pre>{@code
 * say.amount(new BigDecimal("12.50"), "USD", "en")   // "twelve dollars and fifty cents"
 *    .flatMap(s -> say.fileFor(s))                    // the STREAM FILE argument
 * }</pre>
 *
 * A language without rules ({@link SpokenForms#forLanguage}) gets empty: the flow then falls
 * back to Asterisk's own SAY NUMBER / SAY DIGITS, which know many languages.
 */
public final class Say {
    private static final Logger LOG = LoggerFactory.getLogger(Say.class);
    /** Pause between segments, like a speaker's between words. */
    public static final int GAP_MILLIS = 60;

    private final Supplier<PromptCatalog> catalog;
    private final PromptRenderer renderer;
    private final Delivery delivery;
    private final Duration budget;

    public Say(Supplier<PromptCatalog> catalog, PromptRenderer renderer, Delivery delivery, Duration budget) {
        this.catalog = catalog;
        this.renderer = renderer;
        this.delivery = delivery;
        this.budget = budget;
    }

    public Optional<Spoken> number(long n, String language) {
        return spoken(language, f -> f.number(n));
    }

    public Optional<Spoken> amount(BigDecimal amount, String currency, String language) {
        return spoken(language, f -> f.amount(amount, currency));
    }

    public Optional<Spoken> date(LocalDate date, String language) {
        return spoken(language, f -> f.date(date));
    }

    public Optional<Spoken> time(LocalTime time, String language) {
        return spoken(language, f -> f.time(time));
    }

    public Optional<Spoken> digits(String digits, String language) {
        return spoken(language, f -> f.digits(digits));
    }

    private Optional<Spoken> spoken(String language, Function<SpokenForms, List<String>> rule) {
        return SpokenForms.forLanguage(language).map(f -> {
            List<String> ids = rule.apply(f);
            List<String> words = new ArrayList<>();
            for (String id : ids) {
                words.add(catalog.get().find("say." + id, language).map(PromptEntry::text)
                        .orElse(f.segmentTexts().getOrDefault(id, id)));
            }
            return new Spoken(String.join(" ", words), language, ids);
        });
    }

    /**
     * One playable file for the spoken value (segments joined), or empty when a segment has
     * no audio in that language (no recording and no voice) or cannot be rendered within the
     * latency budget.
     */
    public Optional<String> fileFor(Spoken spoken) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> keys = new ArrayList<>();
        for (String id : spoken.segments()) {
            Optional<CompletableFuture<String>> job = segment(id, spoken.language(), PromptRenderer.Priority.CALL);
            if (job.isEmpty()) {
                LOG.warn("no audio for segment '{}' in {} (record say.{} or configure a voice): \"{}\" is not played",
                        id, spoken.language(), id, spoken.text());
                return Optional.empty();
            }
            try {
                keys.add(job.get().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                LOG.warn("segments of \"{}\" not rendered within the latency budget of {} ms: skipped", spoken.text(),
                        budget.toMillis());
                return Optional.empty();
            } catch (ExecutionException e) {
                LOG.warn("segment '{}' cannot be rendered: {}", id, e.getCause().getMessage());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        try {
            String key = renderer.join(keys, GAP_MILLIS);
            return renderer.isCached(key) ? Optional.of(delivery.reference(key)) : Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("cannot join the segments of \"{}\": {}", spoken.text(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The spoken value as its segments' own files, to be played one after the other: nothing
     * new is made or cached, whatever the value (for values with very many possible forms, such
     * as queue positions, where {@link #fileFor} would cache a joined file for each). Empty when a
     * segment cannot be played within the latency budget.
     */
    public Optional<List<String>> segmentFiles(Spoken spoken) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> files = new ArrayList<>();
        for (String id : spoken.segments()) {
            Optional<CompletableFuture<String>> job = segment(id, spoken.language(), PromptRenderer.Priority.CALL);
            if (job.isEmpty()) {
                LOG.warn("no audio for segment '{}' in {} (record say.{} or configure a voice): \"{}\" is not played",
                        id, spoken.language(), id, spoken.text());
                return Optional.empty();
            }
            try {
                String key = job.get().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!renderer.isCached(key)) {
                    return Optional.empty();
                }
                files.add(delivery.reference(key));
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("segment '{}' of \"{}\" not playable: {}", id, spoken.text(), e.toString());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.of(files);
    }

    /**
     * Starts rendering one segment of a language: its recording or text from the catalog
     * ({@code say.<id>}), else the rules' text with the language's voice. Empty when there is
     * nothing to make it from.
     */
    public Optional<CompletableFuture<String>> segment(String id, String language, PromptRenderer.Priority priority) {
        Optional<PromptEntry> entry = catalog.get().find("say." + id, language);
        if (entry.isPresent() && entry.get().audio() != null) {
            Path file = entry.get().source().getParent().resolve(entry.get().audio()).normalize();
            return Optional.of(renderer.recording(file, priority));
        }
        Optional<String> voice = renderer.synthesizer().voiceFor(language);
        if (voice.isEmpty()) {
            return Optional.empty();
        }
        String text = entry.map(PromptEntry::text)
                .or(() -> SpokenForms.forLanguage(language).map(f -> f.segmentTexts().get(id)))
                .orElse(null);
        return text == null ? Optional.empty() : Optional.of(renderer.text(text, voice.get(), priority));
    }

    /** Whether {@link #segment} has something to render the segment from. */
    public boolean canRender(String id, String language) {
        Optional<PromptEntry> entry = catalog.get().find("say." + id, language);
        if (entry.isPresent() && entry.get().audio() != null) {
            return true;
        }
        return renderer.synthesizer().voiceFor(language).isPresent()
                && (entry.map(PromptEntry::text).isPresent() || segments(language).containsKey(id));
    }

    /** Every segment id the language's rules use, with its text (empty without rules). */
    public static Map<String, String> segments(String language) {
        return SpokenForms.forLanguage(language).map(SpokenForms::segmentTexts).orElse(Map.of());
    }

    /**
     * Segments of a language that have neither a recording nor a voice to speak them: what
     * must be recorded as {@code say.<id>} before numbers and dates can be spoken there.
     */
    public static List<String> missingSegments(PromptCatalog catalog, String language, boolean hasVoice) {
        List<String> missing = new ArrayList<>();
        for (String id : segments(language).keySet()) {
            Optional<PromptEntry> e = catalog.find("say." + id, language);
            if (e.map(PromptEntry::audio).isEmpty() && !hasVoice) {
                missing.add(id);
            }
        }
        return missing;
    }
}
