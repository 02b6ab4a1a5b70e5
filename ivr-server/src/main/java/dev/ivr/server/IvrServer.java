package dev.ivr.server;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.DiagnosticScript;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.DurationText;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.crm.CrmQueries;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.crm.WrapUps;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.call.Supervision;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.server.crm.http.CrmRoutes;
import dev.ivr.server.crm.wrapup.JdbcWrapUps;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.http.AttributeRoutes;
import dev.ivr.server.crm.http.SegmentRoutes;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.crm.store.JdbcCustomerAttributes;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.pin.PinPepper;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.Desk;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.flow.FlowRepository;
import dev.ivr.server.flow.FlowScripts;
import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.journal.sources.CallbackJournal;
import dev.ivr.server.journal.sources.JournalObserver;
import dev.ivr.server.journal.sources.RoutingJournal;
import dev.ivr.server.journal.http.ReportRoutes;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.report.Reports;
import dev.ivr.server.journal.store.JdbcJournal;
import dev.ivr.server.journal.store.JournalReader;
import dev.ivr.server.journal.store.QueueReport;
import dev.ivr.server.journal.store.LiveKpis;
import dev.ivr.server.webhook.HostAllowlist;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.delivery.WebhookSender;
import dev.ivr.server.webhook.http.EventStreamRoutes;
import dev.ivr.server.webhook.http.WebhookRoutes;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import dev.ivr.server.webhook.store.JournalTail;
import dev.ivr.server.webhook.store.Webhooks;
import dev.ivr.server.wire.ClusterKeys;
import dev.ivr.server.wire.OffCallThread;
import dev.ivr.server.crm.NoCrmStore;
import dev.ivr.server.flow.http.FlowRoutes;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.cluster.HazelcastCheckpoints;
import dev.ivr.server.flow.engine.LanguageByDnis;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.health.FileDescriptors;
import dev.ivr.server.health.Health;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.net.HostPort;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.outbound.CampaignDialer;
import dev.ivr.server.outbound.CampaignStore;
import dev.ivr.server.pbx.Pbxs;
import dev.ivr.server.ports.PortsReport;
import dev.ivr.server.prompt.render.HazelcastSharedAudio;
import dev.ivr.server.prompt.voice.Voice;
import dev.ivr.server.routing.QueueVoice;
import dev.ivr.server.routing.RoutingModule;
import dev.ivr.server.secrets.PrivateFiles;
import dev.ivr.server.speech.audiosocket.AudioSocketServer;
import dev.ivr.server.speech.audiosocket.SpeechService;
import dev.ivr.server.speech.engines.SpeechEngines;
import dev.ivr.server.tts.engines.TtsEngines;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The server process: starts every component in order and stops them in reverse, draining
 * calls first. The composition root: the one place that knows all the parts.
 */
public final class IvrServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IvrServer.class);

    private final IvrConfig config;
    private final String nodeName;
    private final java.util.function.Consumer<String> onFatal;
    private volatile String fatal;
    /** Speech recognition given by the embedding program (tests); null: the configured recognisers. */
    private final dev.ivr.server.speech.RecognizerFactory givenRecognizers;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Metrics metrics;
    private ClusterMember cluster;
    private Database database;
    private JdbcCrmStore crm;
    private JdbcJournal journal;
    private WebhookSender webhookSender;
    private Webhooks webhooks;
    private JournalTail journalTail;
    private LiveKpis liveKpis;
    /** The PBXs' manager interfaces (one, or ami.pbxs), when enabled. */
    private Pbxs pbxs;
    private TtsEngines tts;
    private Voice voice;
    private SpeechService speech;
    private Vertx vertx;
    private HttpApi http;
    private AgiListener agi;
    /** The AudioSocket port for speech input, or -1 when none is open. */
    private int speechPort = -1;
    private FlowRepository flows;
    private RoutingModule routing;
    /**
     * Where calls' cluster operations run (checkpoints, routing): this server's own, closed after what uses it and
     * before the cluster member.
     */
    private OffCallThread offCallThread;
    private IvrExits ivrExits;
    private Desk desk;
    private dev.ivr.server.recording.store.Recordings recordings;
    /** Made by {@link #campaignRunStates()} (start thread only). */
    private dev.ivr.server.outbound.CampaignRunStates campaignRunStates;
    private volatile boolean stopped;

    private IvrServer(IvrConfig config, java.util.function.Consumer<String> onFatal,
                      dev.ivr.server.speech.RecognizerFactory givenRecognizers) {
        this.config = config;
        this.nodeName = config.node().effectiveName();
        this.onFatal = onFatal;
        this.givenRecognizers = givenRecognizers;
    }

    /** Starts a server (embedded: a fatal failure is logged and reported by /health only). */
    public static IvrServer start(IvrConfig config) throws IOException {
        return start(config, reason -> { });
    }

    /**
     * Starts a server that recognises speech with {@code recognizers} instead of the configured
     * recognisers (tests: a recognizer that hears words in tones).
     */
    public static IvrServer start(IvrConfig config, dev.ivr.server.speech.RecognizerFactory recognizers) throws IOException {
        return start(new IvrServer(config, reason -> { }, recognizers));
    }

    /**
     * Starts a server; on failure, whatever was started is stopped again.
     *
     * @param onFatal called once when the server can no longer work as it should (its cluster member is gone):
     *                the process running it should exit, so that its supervisor starts a healthy one
     */
    public static IvrServer start(IvrConfig config, java.util.function.Consumer<String> onFatal) throws IOException {
        return start(new IvrServer(config, onFatal, null));
    }

    private static IvrServer start(IvrServer s) throws IOException {
        try {
            s.startComponents();
            return s;
        } catch (IOException | RuntimeException e) {
            s.closeComponents();
            throw e;
        }
    }

    private void startComponents() throws IOException {
        long t0 = System.nanoTime();
        LOG.info("starting ivr {} as node '{}' (data in {})", version(), nodeName, config.dataDir());
        PrivateFiles.directory(config.dataDir());
        toClose.add(DataDirLock.take(config.dataDir()));
        if (PortsReport.remove(config.dataDir())) {
            LOG.warn("removed {}, left behind by a server on this data directory that did not stop",
                    PortsReport.file(config.dataDir()));
        }
        // closed after every listener, before the lock: a server started next on this directory writes its own
        toClose.add(() -> PortsReport.remove(config.dataDir()));
        HealthRegistry health = new HealthRegistry();
        BackgroundThreads.lowerBy(config.node().backgroundNice());
        BackgroundThreads.idle(config.node().backgroundIdle());

        metrics = new Metrics(nodeName);
        toClose.add(metrics);

        health.register("process", true, this::processHealth);
        startStores(health);
        startVoice(health);
        startCalls(health);
        startHttp(health);
        LOG.info("ivr node '{}' started in {} ms: FastAGI on {}:{}{}", nodeName, (System.nanoTime() - t0) / 1_000_000,
                config.agi().bind(), agi.port(),
                http == null ? "" : ", HTTP on " + config.http().bind() + ":" + http.port());
        reportPorts();
    }

    /** Writes {@code <data-dir>/ports.json}: the ports bound, for operators, the tools and tests (port 0 included). */
    private void reportPorts() throws IOException {
        var member = cluster.hazelcast().getCluster().getLocalMember().getAddress();
        PortsReport report = new PortsReport(ProcessHandle.current().pid(), nodeName, version(), Instant.now(),
                new PortsReport.Listener(config.agi().bind(), agi.port()),
                http == null ? null : new PortsReport.Listener(config.http().bind(), http.port()),
                http != null && config.http().tls().enabled(),
                http == null || http.redirectPort() < 0 ? null : new PortsReport.Listener(config.http().bind(), http.redirectPort()),
                speechPort < 0 ? null : new PortsReport.Listener(config.speech().bind(), speechPort),
                new PortsReport.Listener(member.getHost(), member.getPort()));
        report.write(config.dataDir());
        LOG.info("ports reported in {}", PortsReport.file(config.dataDir()));
    }

    /** The cluster member, the database and the CRM store on it. */
    private void startStores(HealthRegistry health) {
        cluster = ClusterMember.start(config.cluster(), nodeName, config.dataDir(), this::fatal);
        toClose.add(cluster);
        health.register("hazelcast", true, cluster::health);
        offCallThread = new OffCallThread();
        toClose.add(offCallThread);

        database = Database.open(config.database(), config.dataDir());
        toClose.add(database);
        health.register("database", false, database::health);

        PinPepper pepper = PinPepper.load(config.crm().pinPepperFile(), config.crm().pinOldPepperFiles(), config.dataDir());
        if (!config.database().url().isBlank() && config.crm().pinPepperFile().isBlank()) {
            LOG.warn("crm.pin-pepper-file is not set: PINs are peppered with {}/pin-pepper, made for this server alone;"
                    + " every server sharing the database {} needs the same pepper file", config.dataDir(),
                    Redaction.url(config.database().url()));
        }
        crm = JdbcCrmStore.open(database, config.crm(), new PinHasher(config.crm().pinHash(), pepper), config.dataDir(),
                nodeName, metrics.registry());
        toClose.add(crm);
        health.register("crm", false, crm::health);
        // the embedded H2 file (no URL configured) is written by this process alone; an H2 server or PostgreSQL is shared
        journal = new JdbcJournal(database.dataSource(), database.dialect(), database::isReady,
                config.dataDir().resolve("journal-outbox"), JOURNAL_FLUSH, metrics.registry(),
                Database.h2File(config.database(), config.dataDir()) != null);
        journal.summarize(kpiRules(), config.reports().fcrWindow());
        toClose.add(journal);
        startWebhooks();
        liveKpis = new LiveKpis(new JournalReader(database.httpDataSource()), kpiRules(), config.reports().liveWindow(),
                config.reports().liveRefresh(), java.time.Clock.systemUTC(), metrics.registry());
        toClose.add(liveKpis);
        toClose.add(dev.ivr.server.cluster.LostCallRecorder.start(cluster.hazelcast(), crm, config.routing().ownerLeftGrace(),
                config.flows().checkpointTtl(), java.time.Clock.systemUTC()));
    }

    /** Webhooks: deliveries made with their journal events, sent by this server's senders (docs/integration.md). */
    private void startWebhooks() {
        JdbcWebhooks store = new JdbcWebhooks(database.dataSource());
        journal.addBatchHook(store::fanOut);
        SecretBox box = new SecretBox(ClusterKeys.of(cluster.hazelcast()).derive(SecretBox.PURPOSE));
        webhookSender = new WebhookSender(new JdbcWebhooks(database.httpDataSource()), database::isReady, config.webhooks(), box, nodeName,
                java.time.Clock.systemUTC(), metrics.registry()).start();
        toClose.add(webhookSender);
        journalTail = new JournalTail(new JournalReader(database.httpDataSource()), database::isReady,
                java.time.Duration.ofMillis(500), java.time.Clock.systemUTC());
        toClose.add(journalTail);
        webhooks = new Webhooks(new JdbcWebhooks(database.httpDataSource()),
                new HostAllowlist(config.webhooks().allowedHosts(), config.webhooks().allowHttp()), box,
                java.time.Clock.systemUTC());
    }

    /** Text to speech, the flows (hot reload) and the prompts that follow them. */
    private void startVoice(HealthRegistry health) throws IOException {
        tts = TtsEngines.start(config.tts());
        toClose.add(tts);
        health.register("tts", false, tts::health);

        flows = FlowRepository.open(new FlowLoader.Sources(config.flows().dir(), config.prompts().dir(),
                config.flows().calendars(), givenRecognizers != null ? givenRecognizers::status
                : SpeechEngines.models(config.speech()), AttributeSchema.of(config.crm().attributes()),
                config.integrations().names(), config.outbound().campaignNames()), java.time.Clock.systemUTC());
        toClose.add(flows);
        if (config.flows().watch()) {
            flows.watch();
        }
        // the prompt catalog follows the flows' hot reloads (one immutable set per version)
        voice = Voice.create(config, () -> flows.current().prompts(), tts,
                new HazelcastSharedAudio(cluster.hazelcast(), config.prompts().clusterCacheMb()), metrics.registry(),
                () -> http == null ? -1 : http.port());
        toClose.add(voice);
        voice.missingRecordings().forEach(problem -> LOG.warn("prompts: {}", problem));
        if (config.prompts().prerender()) {
            voice.prerenderInBackground(() -> tts.awaitReady(10, TimeUnit.MINUTES));
        } else {
            Thread.ofVirtual().name("prompt-cache-permissions").start(voice::repairCachePermissions);
        }
    }

    /** The endpoints http nodes ask (integrations.endpoints). */
    private dev.ivr.server.integration.HttpIntegrations integrations() {
        var integrations = dev.ivr.server.integration.HttpIntegrations.start(config.integrations(), metrics.registry());
        toClose.add(integrations);
        return integrations;
    }

    /** Vert.x (for HTTP and AudioSocket), speech, routing, the flow engine and, last, the FastAGI listener. */
    private void startCalls(HealthRegistry health) throws IOException {
        if (config.http().enabled() || config.speech().enabled()) {
            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
            toClose.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        startSpeech(health); // before the engine: calls may listen as soon as FastAGI accepts them
        ivrExits = new IvrExits(cluster.hazelcast(), config.desk().ivrExitsWindow(), java.time.Clock.systemUTC());
        toClose.add(ivrExits::stop); // the counts of the last calls' ends: after agi (its calls ended or cut and ended),
        // before the cluster shuts down (closed after this)

        ScriptResolver builtins = ScriptResolvers.fixed(Map.<String, CallHandler>of(
                DiagnosticScript.NAME, new DiagnosticScript(nodeName, version(), () -> agi.activeCalls(), voice.audio())));
        startRouting(health, new CallbackJournal(crm, journal, nodeName));
        HazelcastCheckpoints checkpoints = new HazelcastCheckpoints(cluster.hazelcast(), config.flows().checkpointTtl(),
                HazelcastCheckpoints.Durability.parse(config.flows().checkpointDurability()), offCallThread);
        toClose.add(checkpoints); // after agi (its calls' last checkpoints), before the cluster
        FlowEngine engine = new FlowEngine(flows::current, voice.audio(), crm, routing == null ? CallRouter.NONE : routing.router(),
                checkpoints, java.time.Clock.systemUTC(), nodeName, speech, LanguageByDnis.of(config.languages()), integrations())
                .recordingPauses(recordings)
                .reminders(new dev.ivr.server.outbound.FlowReminders(config.outbound(), database.dataSource()));
        int perPrompt = config.prompts().prerenderCustomerValues();
        if (config.prompts().prerender() && perPrompt > 0) {
            // names are known before people call: the greetings of the most frequent ones render ahead, after the
            // static prompts, behind every call's render, at most half of one CPU; stopped with the server
            Thread names = Thread.ofVirtual().name("prompt-prerender-names").start(() -> {
                try {
                    Thread static_ = voice.prerenderThread().orElse(null);
                    if (static_ != null) {
                        static_.join();
                    }
                    long t0 = System.nanoTime();
                    long before = voice.renderer().synthesisCount();
                    int n = engine.prerenderFrequentCustomerPrompts(crm::mostFrequentValues, perPrompt);
                    LOG.info("prompts: {} text(s) with customers' {} most frequent values ready ahead of their calls in {} s"
                            + " ({} synthesised here, the rest cached or rendered by another server)", n, perPrompt,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), voice.renderer().synthesisCount() - before);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("prompts: greetings with customers' names not rendered ahead: {}", e.toString());
                }
            });
            toClose.add(names::interrupt);
        }
        List<ScriptResolver> resolvers = new ArrayList<>(List.of(builtins));
        if (routing != null) {
            resolvers.add(routing.scripts());
            resolvers.add(new dev.ivr.server.outbound.PreviewReports(routing::previews, database.dataSource()));
        }
        dev.ivr.server.outbound.DncList dnc = new dev.ivr.server.outbound.DncList(database.dataSource(),
                new dev.ivr.server.crm.phone.PhoneNumbers(config.crm().region()));
        CampaignStore amdStore = new CampaignStore(database.dataSource()); // a campaign call's AMD goes into its attempt
        resolvers.add(new FlowScripts(flows, engine, () -> CallObserver.both(ivrExits.observer(),
                CallObserver.both(new JournalObserver(journal, java.time.Clock.systemUTC(), nodeName),
                        CallObserver.both(new dev.ivr.server.outbound.OptOutRecorder(dnc, database.dataSource(),
                                java.time.Clock.systemUTC()), new dev.ivr.server.outbound.AmdRecorder(amdStore))))));
        ScriptResolver scripts = ScriptResolvers.firstOf(resolvers);

        agi = new AgiListener(config.agi(), nodeName, scripts, metrics.registry());
        agi.start();
        toClose.add(agi::close);
        health.register("agi", true, agi::health);
    }

    /** The HTTP API, with the agent desktop when routing is on. */
    private void startHttp(HealthRegistry health) {
        if (!config.http().enabled()) {
            return;
        }
        Auth auth = Auth.fromConfig(config.http().tokens(), config.http().adminTokenPath(config.dataDir()));
        List<HttpRoutes> routes = new ArrayList<>(voice.httpRoutes());
        routes.add(new FlowRoutes(flows));
        WrapUps wrapUps = new JdbcWrapUps(database.httpDataSource());
        TransferLog transferLog = new JdbcTransferLog(database.httpDataSource());
        routes.add(new CrmRoutes(crm, wrapUps, transferLog, new CampaignStore(database.httpDataSource()).campaignCalls()));
        AttributeSchema attributes = AttributeSchema.of(config.crm().attributes());
        routes.add(new AttributeRoutes(new JdbcCustomerAttributes(database.httpDataSource(), attributes,
                java.time.Clock.systemUTC())));
        routes.add(new SegmentRoutes(new Segments(database.httpDataSource(), attributes, java.time.Clock.system(ZoneId.systemDefault()))));
        routes.add(new WebhookRoutes(webhooks, webhookSender::forget, webhookSender::wake));
        dev.ivr.server.outbound.DncList dnc = new dev.ivr.server.outbound.DncList(database.httpDataSource(),
                new dev.ivr.server.crm.phone.PhoneNumbers(config.crm().region()));
        routes.add(new dev.ivr.server.outbound.http.DncRoutes(dnc, java.time.Clock.systemUTC()));
        dev.ivr.server.outbound.CampaignStore campaignStore = new dev.ivr.server.outbound.CampaignStore(database.httpDataSource());
        // the dialer's run states; the Campaigns' own store (the HTTP pool) reads and writes the database
        routes.add(new dev.ivr.server.outbound.http.OutboundRoutes(config.outbound(), new dev.ivr.server.outbound.Campaigns(
                config.outbound(), campaignStore, new Segments(database.httpDataSource(), attributes,
                java.time.Clock.system(ZoneId.systemDefault())), java.time.Clock.systemUTC()).runStates(campaignRunStates()),
                new dev.ivr.server.outbound.CampaignProgress(campaignStore), new dev.ivr.server.outbound.Arming(database.httpDataSource()),
                new dev.ivr.server.outbound.OutboundEvents(database.httpDataSource()), dnc, java.time.Clock.systemUTC()));
        routes.add(new dev.ivr.server.outbound.http.ContactListRoutes(config.outbound(), campaignStore,
                new dev.ivr.server.outbound.ContactImport(database.httpDataSource()),
                new dev.ivr.server.crm.phone.PhoneNumbers(config.crm().region()), java.time.Clock.systemUTC()));
        routes.add(new dev.ivr.server.outbound.http.PreviewRoutes(new dev.ivr.server.outbound.PreviewStore(database.httpDataSource()),
                java.time.Clock.systemUTC()));
        dev.ivr.server.outbound.CampaignGauges.register(new dev.ivr.server.outbound.CampaignProgress(campaignStore), metrics.registry(),
                config.outbound().campaigns().stream().map(dev.ivr.server.config.CampaignConfig::name).toList(), java.time.Clock.systemUTC());
        routes.add(new EventStreamRoutes(journalTail::subscribe, config.webhooks().streamHeartbeat(), metrics.registry()));
        routes.add(new ReportRoutes(liveKpis,
                new QueueReport(database.httpDataSource(), database.dialect(), kpiRules(),
                        config.reports().fcrWindow()),
                new dev.ivr.server.journal.store.CampaignReport(database.httpDataSource()),
                new dev.ivr.server.journal.store.FlowReport(database.httpDataSource(), database.dialect(),
                        new Reports(kpiRules(), config.reports().fcrWindow())),
                new dev.ivr.server.journal.store.AgentReport(database.httpDataSource(), database.dialect(),
                        new Reports(kpiRules(), config.reports().fcrWindow()))));
        routes.add(new dev.ivr.server.recording.http.RecordingRoutes(recordings, routing == null ? null : routing.service(),
                java.time.Clock.systemUTC()));
        if (routing != null) { // agents log in to routing: no desktop without it
            desk = Desk.start(vertx, cluster.hazelcast(), database.httpDataSource(), routing.service(), ivrExits,
                    config.desk(), config.routing(), wrapUps, transferLog,
                    pbxs == null ? AgentLegControl.NONE : pbxs,
                    pbxs == null ? Supervision.NONE : pbxs, config.http().idleTimeout(), nodeName,
                    metrics.registry(), routing.queues());
            toClose.add(desk);
            auth = auth.withSessions(desk.sessions());
            routes.addAll(desk.routes());
            routes.add(new dev.ivr.server.callback.http.CallbackRoutes(routing.callbacks()));
            routes.add(new dev.ivr.server.desk.http.ReminderRoutes(routing.service(),
                    new dev.ivr.server.callcontext.CallContexts(cluster.hazelcast(), java.time.Duration.ofHours(1)),
                    config.outbound(), new dev.ivr.server.outbound.Arming(database.httpDataSource()),
                    java.time.Clock.systemUTC()));
        } else {
            LOG.info("agent desktop and supervisor dashboard are off: routing is off");
        }
        http = HttpApi.start(vertx, config.http(), auth, health, metrics, routes);
        toClose.add(http);
    }

    /** How KPIs are counted: each queue's service-level time, the configured short-abandon time. */
    private KpiRules kpiRules() {
        Map<String, java.time.Duration> thresholds = new java.util.HashMap<>();
        config.routing().queues().stream().filter(q -> q.serviceLevelTime() != null) // else the reports' default
                .forEach(q -> thresholds.put(q.id(), q.serviceLevelTime()));
        return new KpiRules(config.reports().serviceLevelTime(), config.reports().shortAbandon(), thresholds);
    }

    /** How often the journal's outbox is written to the database. */
    static final java.time.Duration JOURNAL_FLUSH = java.time.Duration.ofMillis(250);

    /** The server can no longer work as it should: /health says DOWN, and whoever runs it is told (once). */
    private void fatal(String reason) {
        synchronized (this) {
            if (fatal != null || stopped) {
                return;
            }
            fatal = reason;
        }
        LOG.error("fatal: {}", reason);
        onFatal.accept(reason);
    }

    /** The process itself: DOWN after a fatal failure, or when it is out of file descriptors (no socket can be accepted). */
    private Health processHealth() {
        if (fatal != null) {
            return Health.down(fatal);
        }
        return FileDescriptors.health();
    }

    /** Queue settings changed at run time are kept in the database: brought back once it is there (in the background). */
    private void restoreQueueSettings(dev.ivr.server.routing.LiveQueues queues) {
        queues.useStore(new dev.ivr.server.queue.store.JdbcQueueSettings(database.httpDataSource()));
        Thread.ofVirtual().name("queue-settings").start(() -> {
            while (!stopped && !database.awaitReady(java.time.Duration.ofSeconds(30))) {
                LOG.warn("queue settings changed at run time wait for the database");
            }
            if (!stopped) {
                try {
                    queues.restore();
                } catch (RuntimeException e) {
                    LOG.error("queue settings changed at run time cannot be restored: {}", e.getMessage());
                }
            }
        });
    }

    /** AMI (when enabled), routing with the configured queues (when enabled), agent states kept true to the phones. */
    private void startRouting(HealthRegistry health, CrmStore crm) {
        Pbxs originator = null;
        if (config.ami().enabled()) {
            pbxs = Pbxs.start(config.ami(), java.time.Clock.systemUTC());
            toClose.add(pbxs);
            pbxs.register(health);
            originator = pbxs;
        }
        if (originator != null && config.outbound().enabled()) {
            CampaignStore campaignStore = new CampaignStore(database.dataSource());
            toClose.add(new CampaignDialer(config.outbound(), campaignStore, originator,
                    java.time.Clock.systemUTC(), nodeName, new dev.ivr.server.outbound.AgentDialing( // progressive, predictive
                    new dev.ivr.server.outbound.RoutingAgentSupply(() -> routing == null ? null : routing.service()),
                    pbxs, config.outbound().context(), campaignStore)).previews(new dev.ivr.server.outbound.PreviewDialing(
                    config.outbound(), new dev.ivr.server.outbound.RoutingAgentSupply(() -> routing == null ? null : routing.service()),
                    () -> routing == null ? null : routing.previews(), campaignStore, java.time.Clock.systemUTC()))
                    .runStates(campaignRunStates())
                    .start());
            // campaigns with refresh: one dialing server per period evaluates the segment again
            toClose.add(new dev.ivr.server.outbound.SegmentRefresher(config.outbound(), campaignStore, new Segments(
                    database.dataSource(), AttributeSchema.of(config.crm().attributes()), java.time.Clock.system(ZoneId.systemDefault())),
                    java.time.Clock.systemUTC(), nodeName).start());
        }
        startRecordings();
        if (!config.routing().enabled()) {
            LOG.info("routing is off (routing.enabled: false): route nodes take their failure edge");
            return;
        }
        dev.ivr.routing.RoutingOptions routingOptions = dev.ivr.routing.RoutingOptions.defaults();
        Pbxs several = pbxs != null && pbxs.ids().size() > 1 ? pbxs : null;
        if (several != null) {
            // calls go first to agents on their own PBX (routing.pbx-affinity)
            routingOptions = routingOptions.withPbxAffinity(RoutingModule.pbxAffinity(config.routing(),
                    endpoint -> several.pbxOfEndpoint(endpoint).orElse(null)));
        }
        routing = RoutingModule.start(cluster.hazelcast(), config.routing(), routingOptions, crm,
                new dev.ivr.server.callback.store.JdbcCallbackStore(database), new TopicScreenPops(cluster.hazelcast()),
                QueueVoice.of(() -> flows.current().prompts(), voice.audio(), voice.say()), originator,
                java.time.Clock.systemUTC(), nodeName, offCallThread);
        toClose.add(routing);
        restoreQueueSettings(routing.queues());
        routing.service().subscribeLocal(new RoutingJournal(journal, nodeName));
        dev.ivr.server.routing.QueueGauges.register(routing.service(), metrics.registry(),
                config.routing().queues().stream().map(dev.ivr.server.config.QueueConfig::id).toList());
        if (pbxs != null) {
            toClose.add(pbxs.keepAgentsTrue(routing.service(), routing::offerRinging));
            toClose.add(pbxs.journalHolds(routing.service(), journal, nodeName));
            routing.agentLegs(pbxs);
        }
        if (several != null) {
            routing.callPbxs(hint -> several.pbxOfCall(hint).orElse(null));
        }
        routing.onAgentAnswered((callId, queue, agentId) -> recordings.agentAnswered(callId, queue, agentId));
    }

    /**
     * The campaigns' run states on the cluster (pause, resume, stop from any member: at once), one instance for the dialer
     * and the HTTP routes, made at first use. Its own store is on the calls' pool (the dialer's reads); the HTTP routes'
     * {@code Campaigns} pass their store, on the HTTP pool, for what they read and write.
     */
    private dev.ivr.server.outbound.CampaignRunStates campaignRunStates() {
        if (campaignRunStates == null) {
            campaignRunStates = new dev.ivr.server.outbound.CampaignRunStates(cluster.hazelcast(),
                    new CampaignStore(database.dataSource()));
            toClose.add(campaignRunStates);
        }
        return campaignRunStates;
    }

    /** Call recording (recording.*): MixMonitor over AMI, its rows, the sealing and the retention purge. */
    private void startRecordings() {
        recordings = new dev.ivr.server.recording.store.Recordings(config.recording(), recordingDirectory(),
                new dev.ivr.server.recording.store.JdbcRecordings(database.dataSource()),
                pbxs == null ? dev.ivr.server.call.CallRecorder.NONE : pbxs,
                recordingCipher(), new java.security.SecureRandom(), java.time.Clock.systemUTC());
        if (pbxs != null && config.recording().enabled()) {
            pbxs.onHangup(recordings::callEnded);
        }
        toClose.add(recordings.startUpkeep());
    }

    private java.nio.file.Path recordingDirectory() {
        return config.dataDir().resolve(config.recording().directory()).toAbsolutePath().normalize();
    }

    /** The key of recordings at rest (recording.encryption-key-file), or null when none is configured. */
    private dev.ivr.server.recording.RecordingCipher recordingCipher() {
        String file = config.recording().encryptionKeyFile();
        if (file.isEmpty()) {
            return null;
        }
        try {
            return dev.ivr.server.recording.RecordingCipher.fromKeyFile(config.dataDir().resolve(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("recording.encryption-key-file: " + e.getMessage(), e);
        }
    }

    private void startSpeech(HealthRegistry health) {
        var sc = config.speech();
        AudioSocketServer audioSocket = null;
        String advertise = sc.advertise();
        if (sc.enabled() && SpeechEngines.plan(sc).isEmpty() && givenRecognizers == null) {
            // nothing could listen: no port is opened (another program may well hold it)
            LOG.info("speech input is off: no recogniser is configured (speech.models, speech.sphinx), so the AudioSocket"
                    + " port {}:{} is not opened", sc.bind(), sc.port());
        } else if (sc.enabled()) {
            List<String> allow = sc.allow().isEmpty() ? config.agi().allow() : sc.allow();
            audioSocket = AudioSocketServer.start(vertx, sc.bind(), sc.port(), dev.ivr.server.net.Cidr.parseAll(allow),
                    sc.maxSessions());
            speechPort = audioSocket.port();
            if (advertise == null || advertise.isBlank()) {
                advertise = HostPort.format(sc.bind(), audioSocket.port());
            }
        }
        SpeechEngines engines = givenRecognizers == null ? SpeechEngines.start(sc) : null;
        speech = new SpeechService(sc, audioSocket, engines != null ? engines : givenRecognizers, advertise,
                metrics.registry());
        toClose.add(speech);
        sc.models().keySet().forEach(lang -> {
            var status = speech.modelStatus(lang);
            if (!status.available()) {
                LOG.warn("speech: {}", status.detail());
            }
        });
        if (audioSocket != null) {
            AudioSocketServer as = audioSocket;
            String adv = advertise;
            health.register("speech", false, () -> {
                Health h = engines != null ? engines.health() : Health.up("recognisers given by the embedding program");
                String detail = "AudioSocket on " + sc.bind() + ":" + as.port() + " (Asterisk connects to " + adv + "), "
                        + as.activeConnections() + " session(s); recognisers: " + h.detail();
                return new Health(h.status(), detail);
            });
        }
    }

    /**
     * Graceful stop: no new calls, calls in progress get up to {@code agi.drain-time} to
     * finish, then everything closes.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("stopping: no new calls; draining for up to {}", DurationText.format(config.agi().drainTime()));
        if (agi != null) {
            agi.stopAccepting();
            if (!agi.drain(config.agi().drainTime())) {
                LOG.warn("drain time over with {} call(s) still in progress", agi.openConnections());
            }
        }
        closeComponents();
        LOG.info("stopped");
    }

    private void closeComponents() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
        toClose.clear();
    }

    @Override
    public void close() {
        stop();
    }

    public IvrConfig config() {
        return config;
    }

    public String nodeName() {
        return nodeName;
    }

    public int agiPort() {
        return agi.port();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public int activeCalls() {
        return agi.activeCalls();
    }

    public HazelcastInstance hazelcast() {
        return cluster.hazelcast();
    }

    public Database database() {
        return database;
    }

    /** The event journal of this server. */
    public JdbcJournal journal() {
        return journal;
    }

    /** The CRM store the flows' identify and authenticate nodes use, and that keeps every call's interaction. */
    public CrmStore crmStore() {
        return crm;
    }

    /** Customer profiles and contact history (agent desktop, tools). */
    public CrmQueries crmQueries() {
        return crm;
    }

    /** Text to speech: MaryTTS and eSpeak NG, the engine chosen per language. */
    public TtsEngines tts() {
        return tts;
    }

    /** Prompts, spoken values and their delivery to Asterisk. */
    public Voice voice() {
        return voice;
    }

    /** Speech input (AudioSocket + recognition) for listen nodes and menus. */
    public SpeechService speech() {
        return speech;
    }

    /**
     * Routing on this server: {@code routing().service()} is the routing library (agents log in,
     * change state, queues and their figures), {@code contexts()} the call contexts; null when
     * {@code routing.enabled} is false.
     */
    public RoutingModule routing() {
        return routing;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The agent desktop and supervisor dashboard side (null without HTTP or routing). */
    public Desk desk() {
        return desk;
    }

    /** Where callers leave the IVR, per flow node, cluster-wide. */
    public IvrExits ivrExits() {
        return ivrExits;
    }

    /** The PBXs' manager interfaces (null when ami.enabled is false). */
    public Pbxs pbxs() {
        return pbxs;
    }

    /** The HTTP server (null when disabled). */
    public HttpApi http() {
        return http;
    }

    public FlowRepository flows() {
        return flows;
    }

    /** The build's version, from the jar manifest ("dev" when run from classes). */
    public static String version() {
        String v = IvrServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
