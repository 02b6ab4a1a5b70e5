package dev.ivr.server.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.net.Cidr;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.config.WeakSettings;
import dev.ivr.server.db.Dialect;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.ports.PortsReport;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptCatalogException;
import dev.ivr.server.prompt.voice.PromptChecks;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.speech.engines.SpeechEngines;
import dev.ivr.server.speech.sphinx.SphinxRecognizers;
import dev.ivr.server.tts.espeak.ESpeakNg;
import dev.ivr.server.tts.engines.TtsEngines;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.Locale;

/**
 * Checks a deployment from the admin's side, with the configuration the server uses: is the
 * FastAGI listener reachable and does it run the diagnostic script, is the allowlist sane
 * (and does it admit the PBXs given), what the server's /health says of each component,
 * whether the cluster has its members, the database, prompt catalogs and TTS voices, speech
 * models, flows, and whether the prompt files are where Asterisk will look for them. Each
 * finding says what to fix. The FastAGI and HTTP ports are those the running server reported in
 * {@code <data-dir>/ports.json} when it did (port 0 configured), else the configured ones.
 */
public final class Doctor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IvrConfig config;
    private final List<String> pbxAddresses;
    private final HttpClient http;
    private final String token;
    private final List<Finding> findings = new ArrayList<>();

    public Doctor(IvrConfig config, List<String> pbxAddresses) {
        this(config, pbxAddresses, null);
    }

    /**
     * @param token a token with role monitor, supervisor or admin for /health's details; null: the one
     *              generated in the data directory if this user may read it (without one, statuses only)
     */
    public Doctor(IvrConfig config, List<String> pbxAddresses, String token) {
        this.config = config;
        this.pbxAddresses = List.copyOf(pbxAddresses);
        this.token = token != null ? token : generatedToken(config);
        this.http = HttpTls.client(config.http().tls());
    }

    private static String generatedToken(IvrConfig config) {
        try {
            return java.nio.file.Files.readString(config.http().adminTokenPath(config.dataDir())).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String baseUrl() {
        return (config.http().tls().enabled() ? "https://" : "http://") + localHost(config.http().bind()) + ":"
                + PortsReport.read(config.dataDir()).map(PortsReport::http).map(PortsReport.Listener::port)
                .orElse(config.http().port());
    }

    /** Runs every check. */
    public List<Finding> run() {
        findings.clear();
        checkAllowlist();
        checkWeakSettings();
        checkAgi();
        Optional<JsonNode> health = checkHealth();
        health.ifPresent(this::checkCluster);
        checkDatabase();
        PromptCatalog catalog = checkPrompts();
        checkSpeechModels(catalog);
        checkFlows();
        checkPromptDelivery();
        return List.copyOf(findings);
    }

    private String localHost(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    // ----------------------------------------------------------------- FastAGI

    private void checkAllowlist() {
        List<Cidr> allow = Cidr.parseAll(config.agi().allow());
        boolean open = allow.stream().anyMatch(c -> c.prefix() == 0);
        if (open) {
            findings.add(Finding.warn("allowlist", "agi.allow " + config.agi().allow()
                            + " admits every address: anyone who reaches the port can run flows (FastAGI has no authentication)",
                    "list only your PBX addresses in agi.allow, e.g. [10.0.0.5/32]"));
        }
        boolean loopbackBind = config.agi().bind().startsWith("127.") || config.agi().bind().equals("::1");
        for (String pbx : pbxAddresses) {
            InetAddress a;
            try {
                a = InetAddress.getByName(pbx);
            } catch (IOException e) {
                findings.add(Finding.fail("allowlist", "PBX address '" + pbx + "' does not resolve", "give the PBX's IP address"));
                continue;
            }
            if (allow.stream().noneMatch(c -> c.contains(a))) {
                findings.add(Finding.fail("allowlist", "the PBX " + pbx + " is not in agi.allow " + config.agi().allow()
                        + ": its calls would be refused", "add " + a.getHostAddress() + "/32 to agi.allow"));
            } else if (loopbackBind && !a.isLoopbackAddress()) {
                findings.add(Finding.fail("allowlist", "the PBX " + pbx + " is allowed, but agi.bind is "
                        + config.agi().bind() + ": it cannot reach the listener", "set agi.bind to 0.0.0.0 or the server's address"));
            } else {
                findings.add(Finding.ok("allowlist", "the PBX " + pbx + " is allowed by agi.allow"));
            }
        }
        if (!open && pbxAddresses.isEmpty()) {
            findings.add(Finding.ok("allowlist", "agi.allow " + config.agi().allow()
                    + " (give --pbx ADDRESS to check that a PBX is admitted)"));
        }
    }

    private void checkWeakSettings() {
        List<WeakSettings.Weakness> weak = WeakSettings.of(config);
        for (WeakSettings.Weakness w : weak) {
            if (config.node().acceptWeakSettings().contains(w.key())) {
                findings.add(Finding.warn("weak-settings", w.problem() + " (accepted by node.accept-weak-settings)",
                        w.advice()));
            } else {
                findings.add(Finding.fail("weak-settings", w.problem() + ": the server refuses to start with it",
                        w.advice() + "; or accept it knowingly: node.accept-weak-settings: [" + w.key() + "]"));
            }
        }
        if (weak.isEmpty()) {
            findings.add(Finding.ok("weak-settings", "no weak settings (PIN hashing cost, lockout, allowlists)"));
        }
    }

    private void checkAgi() {
        String host = localHost(config.agi().bind());
        // the port the running server bound (agi.port 0: any free one), else the configured one
        int port = PortsReport.read(config.dataDir()).map(r -> r.agi().port()).orElse(config.agi().port());
        AgiProbe.Result r = AgiProbe.call(host, port, 10_000);
        if (!r.connected()) {
            findings.add(Finding.fail("agi", "nothing answers on " + host + ":" + port + " (" + r.error() + ")",
                    "start the server (./ivr run, or systemctl start ivr) and check agi.bind/agi.port"));
        } else if (r.refusedAtOnce()) {
            findings.add(Finding.warn("agi", "the listener on " + host + ":" + port
                            + " closed this test call at once: this host is not in agi.allow (PBXs that are still get through)",
                    "to let the doctor place its test call, add this host to agi.allow"));
        } else if ("OK".equals(r.variables().get("IVR_STATUS"))) {
            findings.add(Finding.ok("agi", "FastAGI on " + host + ":" + port + " ran the diag script on node "
                    + r.variables().getOrDefault("IVR_NODE", "?") + " (" + r.commands().size() + " AGI commands)"));
        } else {
            findings.add(Finding.fail("agi", "FastAGI on " + host + ":" + port + " answered but the diag script did not finish: "
                    + r.commands() + (r.error() == null ? "" : " (" + r.error() + ")"), "read the server log for this call"));
        }
    }

    // ------------------------------------------------------------------ health

    private Optional<JsonNode> checkHealth() {
        if (!config.http().enabled()) {
            findings.add(Finding.warn("health", "the HTTP server is disabled (http.enabled: false): components cannot be asked",
                    "enable it to use /health and /metrics"));
            return Optional.empty();
        }
        String url = baseUrl() + "/health";
        JsonNode body;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            findings.add(Finding.fail("health", "cannot read " + url + ": " + e.getMessage(),
                    "start the server and check http.bind/http.port"));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (token == null) {
            findings.add(Finding.warn("health", "statuses only: /health gives details to a token of role monitor,"
                    + " supervisor or admin", "run doctor as the service user (it reads <data-dir>/admin-token) or give --token"));
        }
        Iterator<Map.Entry<String, JsonNode>> it = body.path("components").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> c = it.next();
            String status = c.getValue().path("status").asText();
            String detail = c.getValue().path("detail").asText();
            String check = "health:" + c.getKey();
            switch (status) {
                case "UP" -> findings.add(Finding.ok(check, detail));
                case "STARTING" -> findings.add(Finding.warn(check, "still starting: " + detail, "wait a minute and run doctor again"));
                default -> findings.add(new Finding(status.equals("DOWN") ? Finding.Level.FAIL : Finding.Level.WARN, check,
                        status.toLowerCase(Locale.ROOT) + ": " + detail, fixFor(c.getKey())));
            }
        }
        return Optional.of(body);
    }

    private static String fixFor(String component) {
        return switch (component) {
            case "database", "crm" -> "check database.url, user and password, and that the database server runs";
            case "tts" -> "check tts.voices (installed MaryTTS voices), tts.espeak (espeak-ng installed, its voices), or provide recordings";
            case "hazelcast" -> "check cluster.bind/port and that the member can bind its port";
            case "speech" -> "check speech.bind/port and speech.models";
            default -> "see the server log";
        };
    }

    private void checkCluster(JsonNode health) {
        String detail = health.path("components").path("hazelcast").path("detail").asText("");
        int members = detail.matches("\\d+ member.*") ? Integer.parseInt(detail.substring(0, detail.indexOf(' '))) : -1;
        int configured = config.cluster().members().size();
        if (configured > 0 && members == 1) {
            findings.add(Finding.warn("cluster", "cluster.members lists " + configured
                            + " address(es) but this member is alone in cluster '" + config.cluster().name() + "'",
                    "check that the other servers run with the same cluster.name and that port " + config.cluster().port()
                            + "+ is open between them"));
        } else if (members > 0) {
            findings.add(Finding.ok("cluster", members + " member(s) in cluster '" + config.cluster().name() + "'"));
        }
    }

    // ---------------------------------------------------------------- database

    private void checkDatabase() {
        findings.add(database());
    }

    /** What the database check finds; no URL, message or fix it gives shows the URL's credentials. */
    Finding database() {
        String url = config.database().url() == null ? "" : config.database().url();
        // the configuration's check has refused any other database: an empty URL is the default H2 file database
        boolean postgres = !url.isBlank() && Dialect.ofUrl(url) == Dialect.POSTGRESQL;
        boolean h2Server = url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:");
        if (!postgres && !h2Server) {
            // an embedded H2 file has one user at a time: the running server; its /health says how it is
            String where = url.isBlank() ? config.dataDir().resolve("db") + " (the data directory)" : Redaction.url(url);
            return Finding.ok("database", "H2 file database " + where + " (checked through the server's /health)");
        }
        String what = postgres ? "PostgreSQL" : "H2 server " + h2ServerAddress(url);
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url, config.database().user(), config.database().password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select max(\"version\") from \"flyway_schema_history\" where \"success\"")) {
            rs.next();
            return Finding.ok("database", what + " reachable, schema version " + rs.getString(1));
        } catch (SQLException e) {
            return Finding.fail("database", what + ": " + Redaction.url(e.getMessage()), postgres
                    ? "check database.url, user, password, pg_hba.conf and that the server has started once (it migrates the schema)"
                    : "check that the H2 server runs (org.h2.tools.Server -tcp) and database.url, user, password");
        }
    }

    /** host:port of a {@code jdbc:h2:tcp://host:port/path} URL (9092 when no port is given). */
    static String h2ServerAddress(String url) {
        String rest = url.replaceFirst("^jdbc:h2:(tcp|ssl)://", "");
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        return (hostPort.contains(":") ? hostPort : hostPort + ":9092") + (path.isEmpty() ? "" : " (database " + path.replaceFirst(";.*$", "") + ")");
    }

    // ----------------------------------------------------------- prompts/voices

    private PromptCatalog checkPrompts() {
        PromptCatalog catalog;
        try {
            catalog = PromptCatalog.load(config.prompts().dir());
        } catch (PromptCatalogException e) {
            findings.add(Finding.fail("prompts", e.problems().size() + " problem(s) in the prompt catalogs, first: "
                    + e.problems().get(0), "run ./ivr check-prompts and fix each file:line:column"));
            return PromptCatalog.empty();
        }
        java.util.function.Function<String, Optional<String>> voiceFor = lang -> TtsEngines.voiceFor(config.tts(), lang);
        checkEspeak();
        List<String> missing = PromptChecks.missingRecordings(catalog, voiceFor);
        for (String lang : catalog.languages()) {
            Optional<String> voice = voiceFor.apply(lang);
            List<String> gapsOfLang = missing.stream().filter(m -> m.contains("(" + lang + ")")
                    || m.startsWith(String.valueOf(catalog.languageDir(lang)))).toList();
            long gaps = gapsOfLang.size();
            if (voice.isPresent()) {
                findings.add(Finding.ok("voices", "'" + lang + "': " + catalog.prompts(lang).size()
                        + " prompt(s), spoken by " + TtsEngines.engineOf(voice.get()) + " voice "
                        + voice.get().replace(ESpeakNg.PREFIX, "") + (gaps == 0 ? "" : " (" + gaps + " recording(s) missing)")));
            } else if (gaps == 0) {
                findings.add(Finding.ok("voices", "'" + lang + "': no TTS voice; every prompt has a recording"));
            } else {
                findings.add(Finding.fail("voices", "'" + lang + "': no TTS voice and " + gaps
                                + " prompt(s) without a recording, e.g. " + gapsOfLang.get(0),
                        "record them (audio: in prompts/" + lang + "/*.yaml) or configure a voice in tts.voices (MaryTTS) or tts.espeak.voices"));
            }
        }
        return catalog;
    }

    /** eSpeak NG on this host: the program runs and has the voice of each language it is to speak. */
    private void checkEspeak() {
        java.util.Map<String, String> plan = TtsEngines.plan(config.tts());
        java.util.Map<String, String> espeakLangs = new java.util.TreeMap<>();
        plan.forEach((lang, voice) -> {
            if (voice.startsWith(ESpeakNg.PREFIX)) {
                espeakLangs.put(lang, voice);
            }
        });
        if (espeakLangs.isEmpty()) {
            return;
        }
        try (ESpeakNg espeak = ESpeakNg.start(config.tts().espeak())) {
            if (!espeak.awaitReady(30, java.util.concurrent.TimeUnit.SECONDS)) {
                findings.add(Finding.fail("voices", "eSpeak NG should speak " + String.join(", ", espeakLangs.keySet())
                        + " but " + espeak.health().detail(), "install it (Debian: apt-get install espeak-ng) or set tts.espeak.command"));
                return;
            }
            espeakLangs.forEach((lang, voice) -> {
                if (espeak.hasVoice(voice)) {
                    findings.add(Finding.ok("voices", "'" + lang + "': eSpeak NG has voice "
                            + voice.substring(ESpeakNg.PREFIX.length()) + " (" + espeak.version() + ")"));
                } else {
                    findings.add(Finding.fail("voices", "'" + lang + "': eSpeak NG has no voice "
                            + voice.substring(ESpeakNg.PREFIX.length()), "espeak-ng --voices lists them; fix tts.espeak.voices." + lang));
                }
            });
        }
    }

    /**
     * Which recogniser serves each language (of the configuration and of the prompt catalogs),
     * and whether it works here: Vosk's model directories are checked, Sphinx4 is loaded once.
     */
    private void checkSpeechModels(PromptCatalog catalog) {
        if (!config.speech().enabled()) {
            return;
        }
        SpeechModels models = SpeechEngines.models(config.speech());
        java.util.TreeSet<String> langs = new java.util.TreeSet<>(SpeechEngines.plan(config.speech()).keySet());
        langs.addAll(catalog.languages());
        boolean sphinxWorks = !SpeechEngines.plan(config.speech()).containsValue(SpeechEngines.SPHINX) || checkSphinxLoads();
        for (String lang : langs) {
            String engine = SpeechEngines.engineFor(config.speech(), lang);
            RecognizerFactory.ModelStatus s = models.status(lang);
            if (engine == null) {
                findings.add(Finding.ok("speech", "'" + lang + "': no recogniser, menus take keys only ("
                        + "a Vosk model in speech.models." + lang + " would add speech)"));
            } else if (!s.available()) {
                findings.add(Finding.fail("speech", "'" + lang + "': " + engine + ": " + s.detail(),
                        engine.equals(SpeechEngines.VOSK) ? "download a Vosk model and point speech.models." + lang + " at its directory"
                                : "set speech.engines." + lang + " to vosk with a model, or remove it"));
            } else if (engine.equals(SpeechEngines.SPHINX) && !sphinxWorks) {
                findings.add(Finding.fail("speech", "'" + lang + "': sphinx: the model does not load (see above)",
                        "check the log; speech.sphinx.enabled: false turns it off"));
            } else {
                findings.add(Finding.ok("speech", "'" + lang + "': " + engine + ": " + s.detail()));
            }
        }
    }

    /** Loads Sphinx4 once (one decoder), as the server will: proves the model and the library work on this JVM. */
    private boolean checkSphinxLoads() {
        var sc = config.speech().sphinx();
        long t0 = System.nanoTime();
        try (SphinxRecognizers sphinx = SphinxRecognizers.start(new dev.ivr.server.config.SphinxConfig(true, 1,
                sc.maxWaiting(), sc.timeout()))) {
            if (sphinx.awaitReady(2, java.util.concurrent.TimeUnit.MINUTES)) {
                findings.add(Finding.ok("speech", "Sphinx4 loads " + SphinxRecognizers.modelName() + " in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (" + sc.decoderCount() + " decoder(s) in the server)"));
                return true;
            }
            findings.add(Finding.fail("speech", "Sphinx4 does not load: " + sphinx.status("en").detail(),
                    "check the class path (sphinx4-data) or set speech.sphinx.enabled: false"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void checkFlows() {
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(config.flows().dir(), config.prompts().dir(),
                config.flows().calendars(), SpeechEngines.models(config.speech()),
                dev.ivr.server.crm.attributes.AttributeSchema.of(config.crm().attributes()), config.integrations().names(),
                config.outbound().campaignNames()));
        List<Problem> errors = loaded.allProblems().stream().filter(Problem::isError).toList();
        if (errors.isEmpty()) {
            findings.add(Finding.ok("flows", loaded.flows().size() + " flow(s) in " + config.flows().dir() + " are valid"));
        } else {
            findings.add(Finding.fail("flows", errors.size() + " error(s), first: " + errors.get(0),
                    "run ./ivr validate and fix each file:line:column (the server refuses flows with errors)"));
        }
    }

    // ---------------------------------------------------------- prompt delivery

    private void checkPromptDelivery() {
        Path cache = config.prompts().cacheDir(config.dataDir());
        Optional<Path> sample = sampleFile(cache);
        if ("http".equals(config.prompts().delivery())) {
            String base = config.prompts().httpUrl() == null || config.prompts().httpUrl().isBlank()
                    ? baseUrl() + "/prompts"
                    : config.prompts().httpUrl();
            if (sample.isEmpty()) {
                findings.add(Finding.warn("delivery", "no rendered prompt in " + cache + " yet to fetch from "
                                + Redaction.url(base),
                        "let the server pre-render (prompts.prerender) and run doctor again"));
                return;
            }
            String name = sample.get().getFileName().toString();
            String url = base + "/" + name.substring(0, name.lastIndexOf('.')) + ".wav";
            String shown = Redaction.url(url); // prompts.http-url may carry user:password@
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    findings.add(Finding.ok("delivery", "prompts are served at " + Redaction.url(base) + " (HEAD " + shown
                            + ": 200)"));
                } else if (r.statusCode() == 403) {
                    findings.add(Finding.warn("delivery", "this host may not fetch " + shown + " (403): only prompts.http-allow may",
                            "make sure the PBX's address is in prompts.http-allow (or agi.allow)"));
                } else {
                    findings.add(Finding.fail("delivery", "HEAD " + shown + " answered " + r.statusCode(),
                            "check prompts.http-url: Asterisk fetches the prompts from there"));
                }
            } catch (IOException | IllegalArgumentException e) {
                findings.add(Finding.fail("delivery", "cannot fetch " + shown + ": " + Redaction.url(e.getMessage()),
                        "prompts.http-url must be reachable from the PBX"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (!Files.isDirectory(cache)) {
            findings.add(Finding.fail("delivery", "the prompt directory " + cache + " does not exist",
                    "start the server once (it creates and fills it) or fix prompts.cache-dir"));
            return;
        }
        String asteriskDir = config.prompts().asteriskDir();
        boolean mapped = asteriskDir != null && !asteriskDir.isBlank() && !Path.of(asteriskDir).equals(cache);
        Optional<String> closed = closedToAsterisk(cache, sample);
        closed.ifPresent(problem -> findings.add(Finding.warn("delivery", problem + ": Asterisk runs as its own user "
                        + "and cannot open prompts it may not read",
                "let other users (or a group Asterisk is in) enter every directory down to " + cache + " and read the "
                        + "files; the server writes prompts readable as the cache directory allows and repairs older "
                        + "files at start")));
        if (mapped) {
            Path seen = Path.of(asteriskDir);
            if (sample.isPresent() && Files.isRegularFile(seen.resolve(cache.relativize(sample.get())))) {
                findings.add(Finding.ok("delivery", "prompts in " + cache + " are visible as " + seen + " (checked on this host)"));
            } else {
                findings.add(Finding.warn("delivery", "Asterisk is told to read prompts from " + seen
                                + ", which this host cannot check (not mounted here)",
                        "on the PBX, check that " + seen + " shows the files of " + cache + " (NFS or bind mount)"));
            }
        } else {
            findings.add(Finding.ok("delivery", "Asterisk reads prompts from " + cache
                    + (sample.isPresent() ? "" : " (nothing rendered yet)") + ": the PBX must run on this host or mount it at the same path"));
        }
    }

    private static Optional<Path> sampleFile(Path cache) {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(cache, 3)) {
            return s.filter(p -> p.toString().endsWith(".wav")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a user other than the server's (Asterisk's) cannot read the prompts: a directory on the
     * way that others (or the group) may not enter, or a prompt file they may not read; empty when
     * they can, or where the file system has no POSIX permissions.
     */
    static Optional<String> closedToAsterisk(Path cache, Optional<Path> sample) {
        try {
            Set<PosixFilePermission> own = Files.getPosixFilePermissions(cache);
            boolean viaOthers = own.contains(PosixFilePermission.OTHERS_EXECUTE);
            PosixFilePermission enter = viaOthers ? PosixFilePermission.OTHERS_EXECUTE : PosixFilePermission.GROUP_EXECUTE;
            PosixFilePermission read = viaOthers ? PosixFilePermission.OTHERS_READ : PosixFilePermission.GROUP_READ;
            for (Path p = cache.toAbsolutePath(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(enter)) {
                    return Optional.of(p + " may not be entered by other users (mode "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + ")");
                }
            }
            if (sample.isPresent() && !Files.getPosixFilePermissions(sample.get()).contains(read)) {
                return Optional.of("prompt files such as " + sample.get() + " may not be read by other users (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(sample.get())) + ")");
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
