package dev.ivr.server.prompt.render;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.net.Cidr;
import dev.ivr.server.api.Auth;
import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.prompt.http.PromptHttpRoutes;
import dev.ivr.server.prompt.voice.Voice;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server with MaryTTS and HTTP delivery: the diagnostic script speaks through TTS with
 * a URL Asterisk's media cache can fetch; static prompts are pre-rendered at start; the
 * /prompts route behaves as the media cache expects and refuses what it must.
 */
@Tag("integration")
class VoiceServerIT {
    @TempDir
    static Path data;
    static IvrServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dev.ivr.server.config.IvrConfig config = TestConfigs.server(data, Map.of(
                "IVR_TTS_ENABLED", "true",
                "IVR_PROMPTS_DIR", Path.of("..", "prompts").toAbsolutePath().normalize().toString(),
                "IVR_PROMPTS_DELIVERY", "http",
                // the two most frequent first names' greetings are rendered ahead of their calls
                "IVR_PROMPTS_PRERENDER_CUSTOMER_VALUES", "2",
                // the diag call must hear TTS even when a loaded machine renders slowly (the budget itself is unit-tested)
                "IVR_PROMPTS_LATENCY_BUDGET", "60s"));
        // customers before the server starts: Anna three times, Emma twice, Bela once
        try (dev.ivr.server.db.Database db = dev.ivr.server.db.Database.open(config.database(), config.dataDir())) {
            assertThat(db.awaitReady(Duration.ofSeconds(60))).isTrue();
            Path csv = data.resolve("customers.csv");
            java.nio.file.Files.writeString(csv, """
                    id,first_name,last_name,language,phones
                    C1,Anna,Kovacs,en,+36 1 555 0001
                    C2,Emma,Smith,en,+36 1 555 0002
                    C3,Anna,Nagy,en,+36 1 555 0003
                    C4,Bela,Kiss,en,+36 1 555 0004
                    C5,Emma,Jones,en,+36 1 555 0005
                    C6,Anna,Szabo,en,+36 1 555 0006
                    """);
            assertThat(new dev.ivr.server.crm.csv.CustomerImport(db.dataSource(),
                    new dev.ivr.server.crm.phone.PhoneNumbers(config.crm().region()),
                    new dev.ivr.server.crm.pin.PinHasher(config.crm().pinHash()), java.time.Clock.systemUTC())
                    .run(csv, new dev.ivr.server.crm.csv.CustomerImport.Options(false, false),
                            dev.ivr.server.crm.csv.CustomerImport.Progress.NONE).rejected()).isEmpty();
        }
        server = IvrServer.start(config);
        assertThat(server.tts().awaitReady(5, TimeUnit.MINUTES)).isTrue();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<byte[]> get(String url, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void diagnosticScriptSpeaksThroughTtsWithAUrlTheMediaCacheCanFetch() throws Exception {
        FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort());
        CallResult r = pbx.call("diag").caller(Caller.script()).run(Duration.ofSeconds(60));
        assertThat(r.commands("SAY ALPHA")).isEmpty(); // no fallback: TTS spoke
        String url = r.prompts().get(0);
        assertThat(url).matches("http://127\\.0\\.0\\.1:" + server.httpPort() + "/prompts/[0-9a-f]{40}\\.wav");

        HttpResponse<byte[]> wav = get(url, null);
        assertThat(wav.statusCode()).isEqualTo(200);
        assertThat(wav.headers().firstValue("Content-Type")).contains("audio/wav");
        assertThat(wav.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        Pcm pcm = Wav.read(wav.body());
        assertThat(pcm.sampleRate()).isEqualTo(8000);
        assertThat(pcm.durationMillis()).isGreaterThan(2000); // "The I V R server is reachable. Node ... took this call."
        String etag = wav.headers().firstValue("ETag").orElseThrow();
        assertThat(get(url, etag).statusCode()).isEqualTo(304);

        String base = url.substring(0, url.lastIndexOf('/') + 1);
        assertThat(get(base + "0123456789abcdef0123456789abcdef01234567.wav", null).statusCode()).isEqualTo(404);
        assertThat(get(base + "..%2F..%2Fadmin-token", null).statusCode()).isEqualTo(404);
        assertThat(get(url.replace(".wav", ".mp3"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void staticPromptsArePreRenderedAtStart() {
        Voice voice = server.voice();
        await().atMost(Duration.ofMinutes(3)).until(() -> voice.prerenderThread().map(t -> !t.isAlive()).orElse(false));
        String voiceName = server.tts().mary().voice();
        assertThat(voice.renderer().isCached(PromptKey.forText(voiceName, "Please hold while we connect you."))).isTrue();
        assertThat(voice.renderer().isCached(PromptKey.forText(voiceName, "twenty"))).isTrue();
        // so saying a number (a queue position) costs no synthesis; an amount is spoken whole, once
        long before = voice.renderer().synthesisCount();
        assertThat(voice.say().number(342, "en").flatMap(voice.say()::segmentFiles)).hasValueSatisfying(
                files -> assertThat(files).hasSize(2));
        assertThat(voice.renderer().synthesisCount()).isEqualTo(before);
        assertThat(voice.say().amount(new java.math.BigDecimal("42.10"), "EUR", "en").flatMap(voice.say()::fileFor))
                .hasValueSatisfying(u -> assertThat(u).endsWith(".wav"));
        assertThat(voice.renderer().synthesisCount()).isEqualTo(before + 1);
    }

    @Test
    void theGreetingsOfTheMostFrequentFirstNamesAreRenderedAfterStart() {
        Voice voice = server.voice();
        String voiceName = server.tts().mary().voice();
        List<String> ahead = List.of("Hello Anna, welcome back to Example Corp.", "Thank you, Anna. You are verified.",
                "Hello Emma, welcome back to Example Corp.", "Thank you, Emma. You are verified.");
        await().atMost(Duration.ofMinutes(6)).until(() -> ahead.stream()
                .allMatch(text -> voice.renderer().isCached(PromptKey.forText(voiceName, text))));
        // the third name is beyond prompts.prerender-customer-values: rendered when Bela calls
        assertThat(voice.renderer().isCached(PromptKey.forText(voiceName, "Hello Bela, welcome back to Example Corp.")))
                .isFalse();
    }

    @Test
    void onlyThePbxMayFetchPrompts() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            PromptCache cache = server.voice().renderer().cache();
            new PromptHttpRoutes(cache, Cidr.parseAll(List.of("192.0.2.0/24"))).mount(router, Auth.of(List.of()));
            HttpServer http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String key = PromptKey.forText(server.tts().mary().voice(), "Please hold while we connect you.");
            await().atMost(Duration.ofMinutes(3)).until(() -> cache.contains(key));
            HttpResponse<byte[]> r = get("http://127.0.0.1:" + http.actualPort() + "/prompts/" + key + "."
                    + AsteriskFormat.WAV.extension(), null);
            assertThat(r.statusCode()).isEqualTo(403);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
