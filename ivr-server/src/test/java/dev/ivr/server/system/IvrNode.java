package dev.ivr.server.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.testing.SampleCustomers;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An ivr server in the test's JVM, configured for a {@link PrivateAsterisk}: FastAGI, HTTP, AudioSocket and its
 * cluster member on port 0. The tests start their Asterisk first (a server started before Asterisk logs AMI login
 * failures, which the tests read as problems, and then waits out its login back-off), then the server, and then hand
 * Asterisk the FastAGI port it bound ({@link #agiPort}, {@link PrivateAsterisk#ivr}) before the first call. Its own
 * cluster, its data directory where Asterisk (another user) can read the
 * prompts, the shipped flows and prompts with MaryTTS, AMI to that Asterisk with the sample
 * manager user, calendars that are always open, and the twelve sample customers. The server's
 * warnings and errors are kept for the test to check.
 */
final class IvrNode implements AutoCloseable {
    /** The languages of the sample customers: agents speak them all, since calls are matched by the caller's language. */
    static final java.util.Set<String> SAMPLE_LANGUAGES = java.util.Set.of("en", "hu", "de", "it", "es");

    /** The nodes running in this JVM (for a call's failure message: what the servers logged about it). */
    private static final java.util.Set<IvrNode> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    final IvrServer server;
    final IvrConfig config;
    final Path dataDir;
    private final ListAppender<ILoggingEvent> problems = new ListAppender<>();

    private IvrNode(IvrConfig config, Path dataDir, dev.ivr.server.speech.RecognizerFactory recognizers) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        problems.start();
        root().addAppender(problems);
        this.server = IvrServer.start(config, recognizers);
        RUNNING.add(this);
    }

    /**
     * @param yaml  configuration over the defaults (may be empty)
     * @param extra IVR_* variables over everything
     */
    static IvrNode start(Path base, String name, int amiPort, String yaml, Map<String, String> extra) {
        return start(base, name, amiPort, yaml, extra, null);
    }

    /** @param recognizers speech recognition instead of Vosk models (null: as configured) */
    static IvrNode start(Path base, String name, int amiPort, String yaml, Map<String, String> extra,
                         dev.ivr.server.speech.RecognizerFactory recognizers) {
        return start(base, name, amiPort, yaml, extra, recognizers, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param adjust changes the loaded (validated) configuration before the server starts: for settings a test needs
     *               outside what validation allows (a reservation-ttl shorter than the ring time, to make agents
     *               answer late)
     */
    static IvrNode start(Path base, String name, int amiPort, String yaml, Map<String, String> extra,
                         dev.ivr.server.speech.RecognizerFactory recognizers,
                         java.util.function.UnaryOperator<IvrConfig> adjust) {
        try {
            Path data = base.resolve(name);
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> env = new HashMap<>();
            env.put("IVR_NODE_NAME", name);
            env.put("IVR_NODE_DATA_DIR", data.toString());
            env.put("IVR_AGI_PORT", "0");
            env.put("IVR_HTTP_PORT", "0");
            env.put("IVR_CLUSTER_NAME", "system-" + UUID.randomUUID());
            env.put("IVR_CLUSTER_PORT", "0"); // a member that joins (FailoverSystemIT's node A) lists the port bound
            // one secret for the nodes of a test (each would generate its own, and they would not join)
            env.put("IVR_CLUSTER_SECRET_FILE", dev.ivr.server.testing.TestConfigs.clusterSecret().toString());
            env.put("IVR_SPEECH_PORT", "0");
            env.put("IVR_FLOWS_DIR", Path.of("..", "flows").toAbsolutePath().normalize().toString());
            env.put("IVR_PROMPTS_DIR", Path.of("..", "prompts").toAbsolutePath().normalize().toString());
            env.put("IVR_FLOWS_CALENDARS", resource("system/calendars.yaml").toString());
            env.put("IVR_PROMPTS_CACHE_DIR", sharedPromptCache().toString());
            env.put("IVR_AMI_ENABLED", "true");
            env.put("IVR_AMI_HOST", "127.0.0.1");
            env.put("IVR_AMI_PORT", Integer.toString(amiPort));
            env.put("IVR_AMI_USERNAME", PrivateAsterisk.IVR_AMI_USER);
            env.put("IVR_AMI_SECRET", PrivateAsterisk.IVR_AMI_SECRET);
            env.putAll(extra);
            Path file = base.resolve(name + ".yaml");
            Files.writeString(file, "crm:\n  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}\n" + yaml);
            IvrNode node = new IvrNode(adjust.apply(ConfigLoader.load(file, env)), data, recognizers);
            node.importSampleCustomers();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One prompt cache for every system test and run on this machine (content-addressed, written
     * atomically: sharing is safe), in a place Asterisk's user can enter: static prompts are
     * synthesised once, not by every test class.
     */
    static Path sharedPromptCache() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ivr-system-prompt-cache");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static Path resource(String name) {
        try {
            return Path.of(IvrNode.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    private void importSampleCustomers() {
        if (!server.database().awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the database did not become ready");
        }
        try {
            SampleCustomers.importInto(server);
        } catch (CustomerImport.ImportFailed e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every static prompt is rendered (so a test's timing is not the first render's). */
    IvrNode awaitPrerendered() {
        if (!server.tts().awaitReady(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("MaryTTS did not start");
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (server.voice().prerenderThread().map(Thread::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("prompts not pre-rendered within 5 minutes");
            }
            PrivateAsterisk.sleep(200);
        }
        return this;
    }

    /** The interaction the server recorded for a call (waits for it). */
    dev.ivr.server.crm.Interaction interaction(String callId) {
        org.awaitility.Awaitility.await().alias("the interaction of " + callId).atMost(Duration.ofSeconds(30))
                .until(() -> server.crmQueries().interaction(callId).isPresent());
        return server.crmQueries().interaction(callId).orElseThrow();
    }

    /** A customer's latest interaction (waits for one). */
    dev.ivr.server.crm.Interaction latestOf(String customerId) {
        org.awaitility.Awaitility.await().alias("an interaction of " + customerId).atMost(Duration.ofSeconds(30))
                .until(() -> !server.crmQueries().history(customerId, 1, 0).isEmpty());
        return server.crmQueries().history(customerId, 1, 0).get(0);
    }

    /** The FastAGI port the server bound (it is given port 0). */
    int agiPort() {
        return server.agiPort();
    }

    /** The server's WARN and ERROR log lines so far (from every thread of this JVM while the node runs). */
    List<String> problems() {
        synchronized (problems.list) {
            return problems.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + " call=" + e.getMDCPropertyMap().getOrDefault("call", "-")
                            + " - " + e.getFormattedMessage()).toList();
        }
    }

    /** Every log line so far (INFO and up), formatted. */
    List<String> lines() {
        synchronized (problems.list) {
            return problems.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " call="
                    + e.getMDCPropertyMap().getOrDefault("call", "-") + " - " + e.getFormattedMessage()).toList();
        }
    }

    /**
     * What the servers running in this JVM logged with this call id in their MDC (each node's appender sees the whole
     * JVM's log, so one node's copy is enough), formatted as {@link #lines()}.
     */
    static List<String> linesOfCall(String callId) {
        String tag = " call=" + dev.ivr.server.logging.LogText.callId(callId) + " - ";
        return RUNNING.stream().findAny().map(n -> n.lines().stream().filter(l -> l.contains(tag)).toList())
                .orElse(List.of());
    }

    private static Logger root() {
        // while logback initialises (tests starting at once) SLF4J hands out stand-ins: wait for it
        for (int i = 0; i < 100 && !(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext); i++) {
            PrivateAsterisk.sleep(50);
        }
        return ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        try {
            server.stop();
        } finally {
            root().detachAppender(problems);
        }
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
