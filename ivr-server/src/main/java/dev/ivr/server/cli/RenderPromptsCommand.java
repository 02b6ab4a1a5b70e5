package dev.ivr.server.cli;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptCatalogException;
import dev.ivr.server.prompt.render.Delivery;
import dev.ivr.server.prompt.voice.Prerenderer;
import dev.ivr.server.prompt.render.PromptCache;
import dev.ivr.server.prompt.voice.PromptChecks;
import dev.ivr.server.prompt.render.PromptRenderer;
import dev.ivr.server.prompt.render.SharedAudio;
import dev.ivr.server.prompt.render.Say;
import dev.ivr.server.tts.engines.TtsEngines;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ivr-server render-prompts}: renders every static prompt into the prompt cache ahead of
 * time (what the server otherwise does in the background at start), with a progress bar.
 */
@Command(name = "render-prompts", mixinStandardHelpOptions = true,
        description = {"Render every static prompt (catalog texts without variables, recordings, number and date segments) "
                + "into the prompt cache with MaryTTS, so that no caller waits for a synthesis.",
                "Writes to prompts.cache-dir; a running server uses the files at once."})
public final class RenderPromptsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        IvrConfig cfg;
        PromptCatalog catalog;
        try {
            cfg = config.load();
            catalog = PromptCatalog.load(cfg.prompts().dir());
        } catch (ConfigException e) {
            System.err.println("ivr-server: the configuration has problems:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        } catch (PromptCatalogException e) {
            System.err.println("ivr-server: the prompt catalogs have problems:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        for (String p : PromptChecks.missingRecordings(catalog, lang -> TtsEngines.voiceFor(cfg.tts(), lang))) {
            System.err.println("warning: " + p);
        }
        System.err.println("starting text to speech " + TtsEngines.plan(cfg.tts()) + "...");
        TtsEngines tts = TtsEngines.start(cfg.tts());
        if (cfg.tts().enabled() && !tts.awaitReady(10, TimeUnit.MINUTES)) {
            System.err.println("ivr-server: " + tts.health().detail());
            return 1;
        }
        List<AsteriskFormat> formats = cfg.prompts().formats().stream().map(AsteriskFormat::of).distinct().toList();
        PromptCache cache = new PromptCache(cfg.prompts().cacheDir(cfg.dataDir()), formats, SharedAudio.NONE);
        try (PromptRenderer renderer = new PromptRenderer(tts, cache)) {
            Say say = new Say(() -> catalog, renderer, Delivery.directory(cache, null), cfg.prompts().latencyBudget());
            List<Prerenderer.Item> items = Prerenderer.items(catalog, renderer, say);
            long t0 = System.nanoTime();
            Prerenderer.Result r;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Rendering").setInitialMax(items.size())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build()) {
                r = Prerenderer.run(items, (done, total, what) -> {
                    bar.stepTo(done);
                    bar.setExtraMessage(String.format("%-36.36s", what)); // one width: the bar does not jump
                });
            }
            System.out.printf("rendered %d of %d prompt(s) into %s in %.1f s (%d synthesised, %.3f s of synthesis per second of audio)%n",
                    r.rendered(), r.total(), cache.dir(), (System.nanoTime() - t0) / 1e9, renderer.synthesisCount(),
                    renderer.synthesisSecondsPerAudioSecond());
            r.failures().forEach(f -> System.err.println("failed: " + f));
            return r.failures().isEmpty() ? 0 : 1;
        }
    }
}
