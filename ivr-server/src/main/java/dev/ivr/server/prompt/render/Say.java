package dev.ivr.server.prompt.render;

import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.prompt.say.Spoken;
import dev.ivr.server.prompt.say.SpokenForms;
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
import java.util.function.Supplier;

/**
 * Numbers, amounts, dates, times and digit strings spoken in the caller's language. Numbers
 * and digits are built from segments rendered ahead of time ({@link #segments}), played one
 * after the other or joined into one file: no synthesis on the call's path once the segments
 * are cached. Amounts, dates, times and ordinals are spoken whole by the language's voice
 * (their words depend on each other) and cached by content.
 *
 * <pre>{@code
 * say.number(12345, "hu")                       // "tizenkétezer-háromszáznegyvenöt", written "12 345"
 *    .flatMap(say::segmentFiles)                  // STREAM FILE arguments, pre-rendered segments
 * say.amount(new BigDecimal("12345"), "HUF", "hu") // spoken whole: "tizenkétezer... forint"
 *    .flatMap(say::fileFor)
 * }</pre>
 *
 * The words come from CLDR's rules ({@link SpokenForms}, ICU4J) for any language CLDR has
 * spell-out rules for. A language without them gets empty: the flow then falls back to
 * Asterisk's own SAY NUMBER / SAY DIGITS.
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

    /** A number in words, as segments (pre-rendered up to 100): queue positions, counts. */
    public Optional<Spoken> number(long n, String language) {
        return SpokenForms.forLanguage(language).map(f -> n < 0
                ? new Spoken(f.cardinal(n), f.writtenNumber(n), language, List.of())
                : segmented(f, f.number(n), f.writtenNumber(n), language));
    }

    /**
     * A number counting a noun ("one minute", "eine Minute", "un minuto"), as segments. The
     * noun's grammatical gender is the language's to say: its catalog's {@code say.count.<noun>}
     * ({@code masculine}, {@code feminine} or {@code neuter}); without it the plain number is said.
     */
    public Optional<Spoken> count(long n, String noun, String language) {
        String gender = catalog.get().find("say.count." + noun, language).map(PromptEntry::text).orElse(null);
        return SpokenForms.forLanguage(language).map(f -> n < 0
                ? new Spoken(f.cardinal(n), f.writtenNumber(n), language, List.of())
                : segmented(f, f.count(n, gender), f.writtenNumber(n), language));
    }

    /** Each digit on its own, from the same segments as numbers. */
    public Optional<Spoken> digits(String digits, String language) {
        return SpokenForms.forLanguage(language).map(f -> segmented(f, f.digits(digits), digits, language));
    }

    /** An ordinal in words ("twenty-first", "huszonegyedik"), spoken as one utterance. */
    public Optional<Spoken> ordinal(long n, String language) {
        return SpokenForms.forLanguage(language).map(f -> new Spoken(f.ordinal(n),
                f.writtenOrdinal(n), language, List.of()));
    }

    /**
     * An amount of money ("twelve thousand three hundred forty-five forint"); the language's
     * catalog may name units ({@code say.currency.HUF: forint}, {@code say.currency.EUR.minor.one: cent}).
     */
    public Optional<Spoken> amount(BigDecimal amount, String currency, String language) {
        return SpokenForms.forLanguage(language).map(f -> whole(f.amount(amount, currency, unitNames(language)), language));
    }

    /** A date with weekday and year, in the language's order. */
    public Optional<Spoken> date(LocalDate date, String language) {
        return SpokenForms.forLanguage(language).map(f -> whole(f.date(date), language));
    }

    /** Day and month ("december 2.", spoken "december másodika"). */
    public Optional<Spoken> dayAndMonth(LocalDate date, String language) {
        return SpokenForms.forLanguage(language).map(f -> whole(f.dayAndMonth(date), language));
    }

    /** A time of day; the catalog's {@code say.time} (an ICU MessageFormat pattern) says how the language puts it. */
    public Optional<Spoken> time(LocalTime time, String language) {
        String pattern = catalog.get().find("say.time", language).map(PromptEntry::text).orElse(null);
        return SpokenForms.forLanguage(language).map(f -> whole(f.time(time, pattern), language));
    }

    private Spoken segmented(SpokenForms f, List<String> ids, String written, String language) {
        List<String> words = new ArrayList<>();
        for (String id : ids) {
            words.add(catalog.get().find("say." + id, language).map(PromptEntry::text)
                    .orElseGet(() -> f.segmentText(id)));
        }
        return new Spoken(String.join(" ", words), written, language, ids);
    }

    private static Spoken whole(Spoken.Text t, String language) {
        return new Spoken(t.spoken(), t.written(), language, List.of());
    }

    /** Unit names the language's catalog gives: {@code say.currency.*} texts, by id without {@code say.}. */
    private Map<String, String> unitNames(String language) {
        Map<String, String> names = new java.util.HashMap<>();
        catalog.get().prompts(language).forEach((id, e) -> {
            if (id.startsWith("say.currency.") && e.text() != null) {
                names.put(id.substring(4), e.text());
            }
        });
        return names;
    }

    /**
     * One playable file for the spoken value (segments joined), or empty when a segment has
     * no audio in that language (no recording and no voice) or cannot be rendered within the
     * latency budget.
     */
    public Optional<String> fileFor(Spoken spoken) {
        if (spoken.segments().isEmpty()) {
            return utterance(spoken);
        }
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
        if (spoken.segments().isEmpty()) {
            return utterance(spoken).map(List::of);
        }
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

    /** A value spoken whole by the language's voice (cached by content), within the latency budget. */
    private Optional<String> utterance(Spoken spoken) {
        Optional<String> voice = renderer.synthesizer().voiceFor(spoken.language());
        if (voice.isEmpty()) {
            LOG.warn("no voice for {}: \"{}\" is not played", spoken.language(), spoken.written());
            return Optional.empty();
        }
        try {
            String key = renderer.text(spoken.text(), voice.get(), PromptRenderer.Priority.CALL)
                    .get(budget.toMillis(), TimeUnit.MILLISECONDS);
            return renderer.isCached(key) ? Optional.of(delivery.reference(key)) : Optional.empty();
        } catch (TimeoutException e) {
            LOG.warn("\"{}\" not rendered within the latency budget of {} ms: skipped", spoken.written(), budget.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("\"{}\" cannot be rendered: {}", spoken.written(), e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
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
                .or(() -> SpokenForms.forLanguage(language).map(f -> f.segmentText(id)))
                .orElse(null);
        return text == null ? Optional.empty() : Optional.of(renderer.text(text, voice.get(), priority));
    }

    /** Whether {@link #segment} has something to render the segment from. */
    public boolean canRender(String id, String language) {
        Optional<PromptEntry> entry = catalog.get().find("say." + id, language);
        if (entry.isPresent() && entry.get().audio() != null) {
            return true;
        }
        return renderer.synthesizer().voiceFor(language).isPresent() && (entry.map(PromptEntry::text).isPresent()
                || SpokenForms.forLanguage(language).map(f -> f.segmentText(id) != null).orElse(false));
    }

    /** The segments rendered ahead of time for a language, with their texts (empty without rules). */
    public static Map<String, String> segments(String language) {
        return SpokenForms.forLanguage(language).map(f -> {
            Map<String, String> m = new java.util.TreeMap<>();
            f.prerenderSegments().forEach(id -> m.put(id, f.segmentText(id)));
            return m;
        }).orElse(Map.of());
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
