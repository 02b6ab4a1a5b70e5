package dev.ivr.server.prompt.voice;

import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.prompt.render.PromptRenderer;
import dev.ivr.server.prompt.render.Say;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Renders everything that is known before a call: every recording, every catalog text without
 * variables, and the number/date segments of every language with rules. What the server does
 * in the background at start and {@code ivr-server render-prompts} does ahead of time.
 */
public final class Prerenderer {

    /** One thing to render. */
    public record Item(String description, Supplier<CompletableFuture<String>> start) {
    }

    /** How it went. */
    public record Result(int total, int rendered, List<String> failures) {
    }

    /** Progress: called after each item. */
    @FunctionalInterface
    public interface Progress {
        void done(int done, int total, String description);
    }

    private Prerenderer() {
    }

    /** Everything static in the catalog, for every language it has plus the languages with a voice. */
    public static List<Item> items(PromptCatalog catalog, PromptRenderer renderer, Say say) {
        List<Item> items = new ArrayList<>();
        Set<String> languages = new TreeSet<>(catalog.languages());
        if (renderer.synthesizer().voiceFor("en").isPresent()) {
            languages.add("en");
        }
        for (String lang : languages) {
            for (PromptEntry e : catalog.prompts(lang).values()) {
                if (e.id().startsWith("say.")) {
                    continue; // segments below
                }
                if (e.audio() != null) {
                    Path file = e.source().getParent().resolve(e.audio()).normalize();
                    items.add(new Item(lang + "/" + e.id() + " (recording)",
                            () -> renderer.recording(file, PromptRenderer.Priority.PRERENDER)));
                } else if (e.sound() == null && e.text() != null && !e.text().contains("${")) {
                    Optional<String> voice = renderer.synthesizer().voiceFor(lang);
                    voice.ifPresent(v -> items.add(new Item(lang + "/" + e.id(),
                            () -> renderer.text(e.text(), v, PromptRenderer.Priority.PRERENDER))));
                }
            }
            for (String id : new TreeSet<>(Say.segments(lang).keySet())) {
                String segment = id;
                if (say.canRender(segment, lang)) {
                    items.add(new Item(lang + "/say." + segment,
                            () -> say.segment(segment, lang, PromptRenderer.Priority.PRERENDER).orElseThrow()));
                }
            }
        }
        return items;
    }

    /** Renders the items (in the background worker, in order), reporting progress; waits for all. */
    public static Result run(List<Item> items, Progress progress) throws InterruptedException {
        List<CompletableFuture<String>> jobs = new ArrayList<>();
        for (Item i : items) {
            jobs.add(i.start().get());
        }
        List<String> failures = new ArrayList<>();
        int rendered = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                jobs.get(i).get();
                rendered++;
            } catch (ExecutionException e) {
                failures.add(items.get(i).description() + ": " + e.getCause().getMessage());
            }
            progress.done(i + 1, items.size(), items.get(i).description());
        }
        return new Result(items.size(), rendered, failures);
    }
}
