package dev.ivr.server.language;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.cli.IvrCli;
import dev.ivr.server.prompt.render.PromptKey;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Hungarian customer of the sample customers (config/sample-customers.csv, imported as an
 * admin does) calls the shipped customer-service flow through the fake PBX: the real server
 * identifies her by number, switches the call to Hungarian (CHANNEL(language) too) and greets
 * her in Hungarian with her family name first, spoken by eSpeak NG into an 8 kHz file that
 * exists where STREAM FILE points. A caller nobody knows who dials the Hungarian number
 * ({@code languages.by-dnis}) is welcomed in Hungarian before anything else is known.
 */
@Tag("integration")
class HungarianCallerIT {
    static final Path SAMPLE = Path.of("..", "config", "sample-customers.csv").toAbsolutePath().normalize();
    static final String GREETING = "Jó napot, Kovács Anna! Örülünk, hogy ismét minket hív.";
    @TempDir
    static Path dir;
    static IvrServer server;
    static FakePbx pbx;

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, """
                node:
                  data-dir: %s
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                """.formatted(data));
        int status = new CommandLine(new IvrCli()).execute("import-customers", "-c", config.toString(), SAMPLE.toString());
        assertThat(status).as("sample customers imported").isZero();
        Path calendars = dir.resolve("calendars.yaml"); // open whenever the test runs
        Files.writeString(calendars, """
                calendars:
                  support:
                    time-zone: Europe/Budapest
                    open:
                      mon-sun: "00:00-23:59"
                """);
        server = IvrServer.start(TestConfigs.server(data, Map.of("IVR_TTS_ENABLED", "true",
                "IVR_PROMPTS_PRERENDER", "false", "IVR_PROMPTS_LATENCY_BUDGET", "30s",
                "IVR_FLOWS_CALENDARS", calendars.toString(), "IVR_CRM_PIN_HASH_MEMORY", "1024",
                "IVR_CRM_PIN_HASH_ITERATIONS", "1", "IVR_LANGUAGES_BY_DNIS", "3615550000=hu,4930*=de")));
        boolean espeak = server.tts().espeak().awaitReady(1, TimeUnit.MINUTES);
        if (!espeak && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("eSpeak NG is needed in CI (.ci/setup installs espeak-ng)");
        }
        Assumptions.assumeTrue(espeak, "eSpeak NG not installed (apt-get install espeak-ng): Hungarian cannot be spoken");
        pbx = new FakePbx("127.0.0.1", server.agiPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void annaKovacsIsIdentifiedAndGreetedInHungarian() throws Exception {
        CallResult r = pbx.call("customer-service").callerId("06 1 234 5678").caller(Caller.script().press("0")
                .dial(Caller.DialOutcome.BUSY).silence()).run(Duration.ofSeconds(90));

        assertThat(r.commands("SET VARIABLE")).extracting(AgiCommand::raw)
                .anyMatch(c -> c.contains("CHANNEL(language)") && c.contains("hu"));
        String greetingKey = PromptKey.forText("espeak-ng:hu", GREETING);
        List<String> played = heard(r);
        assertThat(played).isNotEmpty();
        assertThat(played.get(0)).as("the first thing she hears").isEqualTo(server.voice().delivery().reference(greetingKey));
        Pcm audio = Wav.read(Files.readAllBytes(Path.of(played.get(0) + ".wav")));
        assertThat(audio.sampleRate()).isEqualTo(8000);
        assertThat(audio.durationMillis()).as("a sentence of some 55 characters").isBetween(2000L, 8000L);
        assertThat(Files.exists(server.voice().renderer().cache().file(greetingKey, AsteriskFormat.SLN16))).isTrue();
        // then the main menu, in Hungarian too
        assertThat(played).contains(server.voice().delivery().reference(PromptKey.forText("espeak-ng:hu",
                hungarianMainMenu())));
    }

    @Test
    void aStrangerDiallingTheHungarianNumberIsWelcomedInHungarian() throws Exception {
        rendered(catalogText("welcome", "hu"), "espeak-ng:hu"); // he hangs up at once: no time for a render
        CallResult r = pbx.call("customer-service").callerId("+15550000009").dialled("+36 1 555 0000")
                .caller(Caller.script().hangUp()).run(Duration.ofSeconds(90));
        assertThat(r.commands("SET VARIABLE")).extracting(AgiCommand::raw)
                .anyMatch(c -> c.contains("CHANNEL(language)") && c.contains("hu"));
        assertThat(heard(r)).first().as("the welcome, in Hungarian")
                .isEqualTo(server.voice().delivery().reference(PromptKey.forText("espeak-ng:hu", catalogText("welcome", "hu"))));
    }

    @Test
    void aNumberUnderTheGermanPrefixIsGerman() {
        rendered(catalogText("welcome", "de"), "espeak-ng:de");
        CallResult r = pbx.call("customer-service").callerId("+15550000010").dialled("4930 1234567")
                .caller(Caller.script().hangUp()).run(Duration.ofSeconds(90));
        assertThat(r.commands("SET VARIABLE")).extracting(AgiCommand::raw)
                .anyMatch(c -> c.contains("CHANNEL(language)") && c.contains("de"));
        assertThat(heard(r)).first().isEqualTo(server.voice().delivery().reference(
                PromptKey.forText("espeak-ng:de", catalogText("welcome", "de"))));
    }

    /** Renders a prompt before the call, so that a caller who hangs up at once hears it, not the wait for it. */
    static void rendered(String text, String voice) {
        server.voice().renderer().text(text, voice, dev.ivr.server.prompt.render.PromptRenderer.Priority.CALL).join();
    }

    /** The prompts played, without the silence that keeps keys while a prompt is rendered (prompts are rendered on demand here). */
    static List<String> heard(CallResult r) {
        String waiting = server.voice().audio().waitingSound().orElse("");
        return r.prompts().stream().filter(p -> !p.equals(waiting)).toList();
    }

    static String catalogText(String id, String lang) {
        return dev.ivr.server.prompt.PromptCatalog.load(Path.of("..", "prompts")).find(id, lang).orElseThrow().text();
    }

    static String hungarianMainMenu() {
        return dev.ivr.server.prompt.PromptCatalog.load(Path.of("..", "prompts")).find("main-menu", "hu").orElseThrow().text();
    }
}
