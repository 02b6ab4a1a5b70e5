package dev.ivr.server.prompt.voice;

import dev.ivr.server.net.Cidr;
import dev.ivr.server.net.HostPort;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.PromptsConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.http.PromptHttpRoutes;
import dev.ivr.server.prompt.render.Delivery;
import dev.ivr.server.prompt.render.PromptCache;
import dev.ivr.server.prompt.render.PromptRenderer;
import dev.ivr.server.prompt.render.Say;
import dev.ivr.server.prompt.render.SharedAudio;
import dev.ivr.server.prompt.render.TtsPromptAudio;
import dev.ivr.server.tts.Synthesizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's voice, assembled from configuration: prompt cache (shared with the cluster),
 * renderer, delivery to Asterisk, the {@link PromptAudio} calls use, spoken numbers and dates
 * ({@link Say}), the HTTP route for HTTP delivery, and the pre-rendering of static prompts in
 * the background at start.
 */
public final class Voice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Voice.class);

    private final PromptRenderer renderer;
    private final Delivery delivery;
    private final TtsPromptAudio audio;
    private final Say say;
    private final List<HttpRoutes> routes;
    private final Supplier<PromptCatalog> catalog;
    private volatile Thread prerender;

    private Voice(PromptRenderer renderer, Delivery delivery, TtsPromptAudio audio, Say say, List<HttpRoutes> routes,
                  Supplier<PromptCatalog> catalog) {
        this.renderer = renderer;
        this.delivery = delivery;
        this.audio = audio;
        this.say = say;
        this.routes = routes;
        this.catalog = catalog;
    }

    /**
     * @param httpPort the HTTP server's port once it listens (for the default HTTP delivery URL)
     */
    public static Voice create(IvrConfig config, Supplier<PromptCatalog> catalog, Synthesizer tts, SharedAudio shared,
                               MeterRegistry registry, IntSupplier httpPort) {
        PromptsConfig pc = config.prompts();
        List<AsteriskFormat> formats = pc.formats().stream().map(AsteriskFormat::of).distinct().toList();
        PromptCache cache = new PromptCache(pc.cacheDir(config.dataDir()), formats, shared);
        PromptRenderer renderer = new PromptRenderer(tts, cache);
        Delivery delivery;
        List<HttpRoutes> routes;
        if ("http".equals(pc.delivery())) {
            String configured = pc.httpUrl();
            delivery = Delivery.http(() -> configured == null || configured.isBlank()
                    ? (config.http().tls().enabled() ? "https://" : "http://")
                            + HostPort.format(config.http().bind(), httpPort.getAsInt()) + "/prompts"
                    : configured, formats.get(0));
            List<String> allow = pc.httpAllow().isEmpty() ? config.agi().allow() : pc.httpAllow();
            routes = List.of(new PromptHttpRoutes(cache, Cidr.parseAll(allow)));
        } else {
            delivery = Delivery.directory(cache, pc.asteriskDir());
            routes = List.of();
        }
        TtsPromptAudio audio = new TtsPromptAudio(renderer, delivery, pc.latencyBudget(), registry);
        Say say = new Say(catalog, renderer, delivery, pc.latencyBudget());
        LOG.info("prompts: cache {} ({}), delivery {}, latency budget {} ms", cache.dir(),
                formats.stream().map(AsteriskFormat::extension).toList(), "http".equals(pc.delivery())
                        ? "http " + (pc.httpUrl() == null || pc.httpUrl().isBlank() ? "on this server's HTTP port"
                                : Redaction.url(pc.httpUrl()))
                        : delivery.describe(), pc.latencyBudget().toMillis());
        return new Voice(renderer, delivery, audio, say, routes, catalog);
    }

    /**
     * Renders every static prompt in the background once TTS is ready (recordings at once),
     * logging progress about every 10 %.
     *
     * @param ttsReady waits for the TTS engine; false when it will not come up
     */
    public void prerenderInBackground(java.util.function.BooleanSupplier ttsReady) {
        prerender = Thread.ofPlatform().name("prompt-prerender").daemon(true).start(() -> {
            repairCachePermissions();
            boolean tts = ttsReady.getAsBoolean();
            List<Prerenderer.Item> items = Prerenderer.items(catalog.get(), renderer, say);
            if (items.isEmpty()) {
                LOG.info("pre-rendering prompts: nothing to render");
                return;
            }
            long t0 = System.nanoTime();
            long synthesesBefore = renderer.synthesisCount();
            LOG.info("pre-rendering {} static prompt(s){}", items.size(), tts ? "" : " (TTS unavailable: recordings only)");
            int[] lastDecile = {0};
            try {
                Prerenderer.Result r = Prerenderer.run(items, (done, total, what) -> {
                    int decile = done * 10 / total;
                    // progress only while it takes a while: a cache that has everything says one line at the end
                    boolean slow = System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(5);
                    if (slow && (decile > lastDecile[0] || done == total)) {
                        lastDecile[0] = decile;
                        LOG.info("pre-rendering prompts: {}/{} ({}%)", done, total, done * 100 / total);
                    }
                });
                LOG.info("pre-rendered {} of {} prompt(s) in {} ms ({} synthesised, the rest cached){}", r.rendered(),
                        r.total(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                        renderer.synthesisCount() - synthesesBefore,
                        r.failures().isEmpty() ? "" : "; " + r.failures().size() + " failed, first: " + r.failures().get(0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Makes cached prompts an older version wrote owner-only readable as the cache directory allows. */
    public void repairCachePermissions() {
        int repaired = renderer.cache().repairPermissions();
        if (repaired > 0) {
            LOG.info("prompt cache: {} file(s) and directories made readable as the cache directory allows "
                    + "(Asterisk runs as its own user)", repaired);
        }
    }

    public PromptAudio audio() {
        return audio;
    }

    public Say say() {
        return say;
    }

    public PromptRenderer renderer() {
        return renderer;
    }

    public Delivery delivery() {
        return delivery;
    }

    public List<HttpRoutes> httpRoutes() {
        return routes;
    }

    /** Prompts that a language without a voice lacks recordings for. */
    public List<String> missingRecordings() {
        return PromptChecks.missingRecordings(catalog.get(), renderer.synthesizer()::voiceFor);
    }

    public Optional<Thread> prerenderThread() {
        return Optional.ofNullable(prerender);
    }

    @Override
    public void close() {
        Thread t = prerender;
        if (t != null) {
            t.interrupt();
        }
        renderer.close();
    }
}
