package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptCatalogException;
import dev.ivr.server.prompt.voice.PromptChecks;
import dev.ivr.server.tts.engines.TtsEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ivr-server check-prompts}: catalog errors, and recordings a language without a TTS voice lacks. */
@Command(name = "check-prompts", mixinStandardHelpOptions = true,
        description = {"Check the prompt catalogs: syntax, recordings that exist, and for each language without a TTS "
                + "voice the prompts and number/date segments that still need a recording.",
                "Exit status 0 when complete, 1 when something is missing, 2 on errors."})
public final class CheckPromptsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
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
            e.problems().forEach(System.out::println);
            return 2;
        }
        List<String> missing = PromptChecks.missingRecordings(catalog, lang -> TtsEngines.voiceFor(cfg.tts(), lang));
        missing.forEach(System.out::println);
        int prompts = catalog.languages().stream().mapToInt(l -> catalog.prompts(l).size()).sum();
        System.out.println(catalog.languages().size() + " language(s), " + prompts + " prompt(s): "
                + (missing.isEmpty() ? "nothing missing" : missing.size() + " problem(s)"));
        return missing.isEmpty() ? 0 : 1;
    }
}
