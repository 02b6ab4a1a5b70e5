package dev.ivr.server.cli;

import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.crm.NoCrmStore;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.engine.LanguageByDnis;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.ScriptedIntegrations;
import dev.ivr.server.flow.tools.ScriptedRouter;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.speech.engines.SpeechEngines;
import dev.ivr.server.text.DidYouMean;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ivr-server simulate FLOW}: runs a flow in the terminal with no PBX: prints what the
 * caller hears, reads keys (or follows {@code --script}), shows the path and the variables.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a flow in the terminal without a PBX: prompts as text, keys from the keyboard or --script.")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    FlowSources sources;

    @Parameters(paramLabel = "FLOW", description = "The flow to call.")
    String flow;

    @Option(names = "--ani", paramLabel = "NUMBER", defaultValue = "3612345678", description = "Caller's number (default ${DEFAULT-VALUE}; 'unknown' for withheld).")
    String ani;

    @Option(names = "--dnis", paramLabel = "NUMBER", defaultValue = "1000", description = "Called number (default ${DEFAULT-VALUE}); languages.by-dnis of the configuration applies.")
    String dnis;

    @Option(names = "--language", paramLabel = "LANG", defaultValue = "en", description = "Channel language (default ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--arg", paramLabel = "VALUE", description = "AGI argument (repeatable): call.args.")
    List<String> args = List.of();

    @Option(names = "--time", paramLabel = "ISO-TIME", description = "The clock for hours nodes, e.g. 2025-06-02T10:00:00+02:00 (default: now).")
    String time;

    @Option(names = "--script", paramLabel = "STEPS", description = "Caller steps, comma-separated: keys (1, 1234#), barge:KEYS (during the prompt), silence, hangup, dial:STATUS, say:WORDS (speech, optionally @CONFIDENCE), mumble. Without it: interactive.")
    String script;

    @Option(names = "--no-speech", description = "Simulate a server without any speech model: menus take keys only, listen nodes fail over.")
    boolean noSpeech;

    @Option(names = "--speech", description = "Simulate speech in every language (what the caller says is heard), whatever models the configuration has.")
    boolean allSpeech;

    @Option(names = "--customers", paramLabel = "FILE", description = {
            "CRM data for the call: a YAML file with 'customers:' (and optionally 'routing:'), as in flow tests;",
            "example: config/simulate-customers.yaml. Default: the configured database, read only (nothing is written)."})
    Path customers;

    @Option(names = "--route", paramLabel = "QUEUE=RESULT", description = {
            "What routing answers for a queue: connected[:AGENT], no-agents, timeout, failed, callback, dialplan[:AGENT],",
            "hangup, key:K (repeatable). Queues not given: an agent answers (connected:agent-1)."})
    Map<String, String> routes = new LinkedHashMap<>();

    @Option(names = "--http", paramLabel = "ENDPOINT=ANSWER", description = {
            "What an endpoint of http nodes answers: a JSON body (200), timeout, breaker-open, failed, status:CODE",
            "(repeatable), e.g. --http 'orders={\"state\":\"shipped\"}'. Also an 'http:' section in the --customers file.",
            "Endpoints not given: the node takes on-error (nothing is sent in a simulation)."})
    Map<String, String> http = new LinkedHashMap<>();

    /** The configuration's languages.by-dnis, as the server applies it (none when there is no usable configuration). */
    private LanguageByDnis byDnis() {
        try {
            return LanguageByDnis.of(sources.config.load().languages());
        } catch (dev.ivr.server.config.ConfigException e) {
            return LanguageByDnis.NONE;
        }
    }

    /** Speech as the configured server would hear it (per language), unless told otherwise. */
    private SpeechModels speech() {
        if (noSpeech) {
            return SpeechModels.NONE;
        }
        if (allSpeech) {
            return SpeechModels.SIMULATED;
        }
        try {
            return SpeechEngines.models(sources.config.load().speech());
        } catch (dev.ivr.server.config.ConfigException e) {
            return SpeechModels.NONE;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        ToolLogging.quiet();
        if (customers != null && !Files.isRegularFile(customers)) {
            System.err.println("ivr-server: --customers " + customers + ": no such file"
                    + " (an example to copy: config/simulate-customers.yaml)");
            return 2;
        }
        FlowLoader.Loaded loaded = FlowLoader.load(sources.resolve());
        var result = loaded.flows().get(flow);
        if (result == null) {
            System.err.println("ivr-server: no flow named '" + flow + "'" + DidYouMean.suffix(flow, loaded.flows().keySet())
                    + " (flows: " + String.join(", ", loaded.flows().keySet()) + ")");
            return 2;
        }
        if (!result.ok()) {
            result.problems().stream().filter(Problem::isError).forEach(System.err::println);
            return 2;
        }
        Map<String, Map<String, Object>> scripted = new LinkedHashMap<>();
        Map<String, Object> answers = new LinkedHashMap<>();
        CrmStore crm;
        String crmNote;
        ReadOnlyCrm database = null;
        if (customers != null) {
            LoadSettings ls = LoadSettings.builder().setMaxAliasesForCollections(20).build();
            Map<String, Object> data = (Map<String, Object>) new Load(ls).loadFromString(Files.readString(customers));
            try {
                crm = new ScriptedCrm((List<Map<String, Object>>) data.getOrDefault("customers", List.of()), false);
            } catch (IllegalArgumentException e) {
                System.err.println("ivr-server: " + customers + ": " + e.getMessage());
                return 2;
            }
            scripted.putAll((Map<String, Map<String, Object>>) data.getOrDefault("routing", Map.of()));
            answers.putAll((Map<String, Object>) data.getOrDefault("http", Map.of()));
            crmNote = "customers from " + customers;
        } else {
            database = ReadOnlyCrm.open(sources.config);
            crm = database.store();
            crmNote = database.note();
        }
        for (Map.Entry<String, String> r : routes.entrySet()) {
            scripted.put(r.getKey(), routeSpec(r.getValue()));
        }
        ScriptedRouter router = new ScriptedRouter(scripted, Map.of("result", "connected", "agent", "agent-1"));
        http.forEach((endpoint, answer) -> answers.put(endpoint, httpAnswer(answer)));
        ScriptedIntegrations integrations;
        try {
            integrations = new ScriptedIntegrations(answers);
        } catch (IllegalArgumentException e) {
            System.err.println("ivr-server: " + e.getMessage());
            return 2;
        }
        Instant at = time == null ? Instant.now() : OffsetDateTime.parse(time).toInstant();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ReadOnlyCrm store = database; // closed when the simulation ends
        try (store) {
            System.out.println("(simulation: " + crmNote + "; routing simulated: an agent answers"
                    + (scripted.isEmpty() ? "" : " except where scripted for " + String.join(", ", scripted.keySet()))
                    + "; nothing is recorded)");
            Simulation.Call call = new Simulation.Call(flow, ani, dnis, language, args, at,
                    script == null ? List.of() : CallerSteps.parse(script),
                    script == null ? CallerSteps.interactive(in, System.out) : null, crm, router, speech(), byDnis(),
                    integrations);
            Simulation.run(loaded.flowSet(), call, System.out::println);
        }
        return 0;
    }

    /** {@code {"state":"shipped"}} → a 200 answer with that body; anything else as the http: section writes it. */
    static Object httpAnswer(String text) {
        String t = text.trim();
        return t.startsWith("{") || t.startsWith("[") ? Map.of("status", 200, "body", t) : t;
    }

    /** {@code connected:alice}, {@code key:1}, {@code timeout} ... as the routing: section of a customers file writes it. */
    static Map<String, Object> routeSpec(String text) {
        int colon = text.indexOf(':');
        String result = colon < 0 ? text : text.substring(0, colon);
        String arg = colon < 0 ? null : text.substring(colon + 1);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("result", result);
        if (arg != null) {
            spec.put(switch (result) {
                case "key" -> "key";
                case "callback" -> "number";
                default -> "agent";
            }, arg);
        }
        return spec;
    }
}
