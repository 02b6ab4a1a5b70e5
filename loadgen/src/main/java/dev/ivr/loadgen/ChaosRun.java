package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.testsupport.FreePorts;
import dev.ivr.testsupport.PostgresServer;
import dev.ivr.testsupport.TcpProxy;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos run: three ivr servers (separate JVMs, as {@code ./ivr cluster} runs them) on loopback sharing a
 * Hazelcast cluster and one PostgreSQL database reached through a {@link TcpProxy}, a fake PBX placing calls to
 * them (each call to the sales queue, agents answering and talking a few seconds) and a fake AMI for callbacks and
 * the agents' phones. While calls keep coming, a server is SIGKILLed and started again every so often and the
 * database is cut for a while. A call whose server died before it reached an agent comes back to another server
 * with the same unique id, as the dialplan's fallback ({@code IVR_BACKUP}) brings it. Afterwards the invariants are
 * checked from the database, the cluster's API and what the PBX saw: every call has its interaction, no agent's
 * phone rang for a second call while it was on one, no agent is left reserved or on a call, every callback was
 * dialled exactly once and is over, and every caller (they all stay on the line) reached an agent.
 *
 * <p>{@link Plan} sets the size: {@code loadgen chaos} runs it from the command line, {@code ChaosIT} a short one.
 */
public final class ChaosRun {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"state\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final String AMI_USER = "ivr";
    private static final int NODES = 3;
    /** How long a server has to listen after its start; then it is killed and started again. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final int START_ATTEMPTS = 2;

    /**
     * The size of a run.
     *
     * @param duration    how long calls keep coming
     * @param calls       calls in progress at once (each ends with an agent, then the next call starts)
     * @param agents      agents logged in and ready
     * @param kills       SIGKILLs of a server (each followed by its restart), spread over the duration
     * @param dbCuts      database cuts, spread over the duration between the kills
     * @param dbCut       how long each database cut lasts
     * @param callbacks   callbacks scheduled through the API, spread over the first half
     * @param talkMin     agents talk at least this long
     * @param talkMax     and at most this long
     * @param work        the servers' configuration, data and logs
     * @param jar         the packaged server ({@code ivr-server/target/ivr-server.jar})
     * @param heap        -Xmx of each server
     * @param restartAfter how long a killed server stays dead before it is started again
     */
    public record Plan(Duration duration, int calls, int agents, int kills, int dbCuts, Duration dbCut, int callbacks,
                       Duration talkMin, Duration talkMax, Path work, Path jar, String heap, Duration restartAfter) {
    }

    /**
     * What a run did and found.
     *
     * @param figures    counts by name (calls placed, answered, failovers, kills, failures by kind ...), in order
     * @param p99AllMs   p99 of the call set-up time (the AGI environment sent to the first command) over the run
     * @param p99KillsMs the same within the kill windows (from a kill until 15 s after the server is back)
     * @param maxKillsMs the slowest call set-up within the kill windows
     * @param violations the invariants that did not hold, one line each; empty when all held
     */
    public record Result(Map<String, Long> figures, double p99AllMs, double p99KillsMs, double maxKillsMs,
                         List<String> violations) {
        /** The figures as a Markdown table. */
        public String table() {
            StringBuilder sb = new StringBuilder("| figure | value |\n|---|---|\n");
            figures.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            sb.append(String.format(Locale.ROOT, "| p99 call set-up (AGI environment to first command), whole run | %.1f ms |%n", p99AllMs));
            sb.append(String.format(Locale.ROOT, "| p99 call set-up, kill windows | %.1f ms |%n", p99KillsMs));
            sb.append(String.format(Locale.ROOT, "| slowest call set-up, kill windows | %.1f ms |%n", maxKillsMs));
            sb.append("| invariants violated | ").append(violations.size()).append(" |\n");
            return sb.toString();
        }
    }

    private final Plan plan;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Node[] nodes = new Node[NODES];
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Thread.ofVirtual().factory());
    private final Map<String, AtomicLong> figures = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Agents' phones ringing or talking; a second offer to one of them is a violation. */
    private final Set<String> phonesInUse = ConcurrentHashMap.newKeySet();
    private final List<String> doubleOffers = new CopyOnWriteArrayList<>();
    private final Set<String> callIds = ConcurrentHashMap.newKeySet();
    /** When each call's last leg ended (nanos) and on which server. */
    private final Map<String, long[]> ends = new ConcurrentHashMap<>();
    /** When each server was killed (nanos), by index. */
    private final Map<Integer, List<Long>> killedAt = new ConcurrentHashMap<>();
    private final List<String> callbackIds = new CopyOnWriteArrayList<>();
    private final Histogram all = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    private final Histogram duringKills = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    /** Nanos until which the run is in a kill window (0: not). */
    private final AtomicLong killWindowUntil = new AtomicLong();
    private final AtomicInteger nextNode = new AtomicInteger();
    private String token;
    private FakeAmi ami;
    private TcpProxy dbProxy;
    private String dbUrl;
    private volatile boolean placing = true;
    private volatile boolean closed;

    public ChaosRun(Plan plan) {
        this.plan = plan;
    }

    /** Agents whose desktop stays connected (to a live server) through the run, numbering checked. */
    static final int DESKTOPS = 8;
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z-]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    private final List<Desktop> desktops = new CopyOnWriteArrayList<>();

    /**
     * An agent's desktop: logged in once, its live WebSocket on one server at a time, connected again to another
     * server when that one dies, each time asking for what it missed ({@code resume} since the last message it has
     * without a hole), and asking again whenever a message's number skips one, as the desk page does. What it
     * received is checked at the end: every number from its first snapshot to its last message, or covered by a
     * {@code resync} snapshot (more was missed than the cluster keeps); a hole is a silent gap.
     */
    private final class Desktop implements java.net.http.WebSocket.Listener {
        final String agentId;
        final java.util.TreeSet<Long> received = new java.util.TreeSet<>();
        /** Everything up to here is covered: the first snapshot, or a resync. */
        long floor = -1;
        int connections;
        volatile String lastError;
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<Void> closedSocket = new CompletableFuture<>();
        private volatile java.net.http.WebSocket socket;

        Desktop(String agentId) {
            this.agentId = agentId;
        }

        /** The highest number with no hole below it (down to the floor). */
        synchronized long contiguous() {
            long n = floor;
            for (long s : received.tailSet(floor, false)) {
                if (s != n + 1) {
                    break;
                }
                n = s;
            }
            return n;
        }

        synchronized List<String> holes() {
            List<String> out = new ArrayList<>();
            if (floor < 0 || received.isEmpty()) {
                return out;
            }
            long expect = floor + 1;
            for (long s : received.tailSet(floor, false)) {
                if (s > expect) {
                    out.add(expect == s - 1 ? Long.toString(expect) : expect + "-" + (s - 1));
                }
                expect = s + 1;
            }
            return out;
        }

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private volatile String token;

        /** Signs in (on any live server: the session is the cluster's), trying again while a server is busy. */
        void signIn() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!closed && System.nanoTime() < deadline) {
                try {
                    token = field(post(http, liveNode(null), "/api/login", null, "{\"id\":\"" + agentId
                            + "\",\"password\":\"bench-password-" + agentId + "\"}", Duration.ofSeconds(60)), "token");
                    return;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    lastError = e.toString();
                    Thread.sleep(1000);
                }
            }
        }

        void run() {
            Node previous = null;
            while (!closed) {
                Node n = liveNode(previous);
                try {
                    if (token == null) {
                        signIn();
                    }
                    String ticket = field(post(http, n, "/api/ws-ticket", token, "", Duration.ofSeconds(10)), "ticket");
                    closedSocket = new CompletableFuture<>();
                    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                            .buildAsync(URI.create("ws://127.0.0.1:" + n.httpPort + "/api/ws?ticket=" + ticket), this)
                            .get(10, TimeUnit.SECONDS);
                    synchronized (this) {
                        connections++;
                    }
                    closedSocket.get(); // until the server dies (or the run ends)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    lastError = e.toString();
                    if (e.getMessage() != null && e.getMessage().contains(": 401")) {
                        token = null; // the session is gone: log in again
                    }
                }
                previous = n;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private String post(HttpClient http, Node n, String path, String bearer, String json, Duration timeout)
                throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + path))
                    .timeout(timeout);
            if (json.isEmpty()) {
                b.POST(HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            }
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("POST " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }

        private static String field(String json, String name) throws IOException {
            Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json); // pretty-printed
            if (!m.find()) {
                throw new IOException("no " + name + " in the answer");
            }
            return m.group(1);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(ws, text);
            }
            ws.request(1);
            return null;
        }

        private void onMessage(java.net.http.WebSocket ws, String text) {
            Matcher type = TYPE.matcher(text);
            Matcher seq = SEQ.matcher(text);
            long n = -1;
            while (seq.find()) {
                n = Long.parseLong(seq.group(1)); // the message's own number is its last field
            }
            if (!type.find() || n < 0) {
                return;
            }
            long resumeSince = -1;
            synchronized (this) {
                switch (type.group(1)) {
                    case "agent" -> {
                        if (floor < 0) {
                            floor = n; // the first snapshot: numbering starts here
                        } else if (n > contiguous()) {
                            resumeSince = contiguous(); // connected again: what was missed meanwhile
                        }
                    }
                    case "resync" -> floor = Math.max(floor, n); // a fresh snapshot instead of the missed messages
                    case "offered", "connected", "ended" -> {
                        if (floor >= 0) {
                            received.add(n);
                            if (n > contiguous() + 1 && !text.contains("\"replay\":true")) {
                                resumeSince = contiguous(); // a number skipped: ask for the hole
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (resumeSince >= 0) {
                ws.sendText("{\"type\":\"resume\",\"since\":" + resumeSince + "}", true);
            }
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            closedSocket.complete(null);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            closedSocket.complete(null);
        }

        void close() {
            java.net.http.WebSocket s = socket;
            if (s != null) {
                s.abort();
            }
            closedSocket.complete(null);
        }
    }

    /**
     * A server of the run: its configuration, (while it lives) its process, and the ports that process reported. FastAGI
     * and HTTP are on port 0: each start of the node takes new ones, read from its {@code ports.json}.
     */
    private static final class Node {
        final int index;
        /**
         * The member port, picked: a killed server comes back on its configured port, as in production, and the other
         * members find it there by their member lists. Below the ephemeral ports: a killed member's port is then never
         * taken by a peer reconnecting to it (docs/high-availability.md), as port 0 would be.
         */
        final int hz = FreePorts.pickForCluster();
        Path config;
        volatile ServerProcess process;
        volatile boolean up;
        /** The ports of the node's last start (0 before the first). */
        volatile int agi;
        volatile int httpPort;
        /** Calls to the node's last start. */
        volatile FakePbx pbx;

        Node(int index) {
            this.index = index;
        }

        Path dataDir(Path work) {
            return work.resolve("node" + (index + 1));
        }
    }

    /** Runs the whole thing; the servers and the proxy are stopped before it returns. */
    public Result run() throws Exception {
        Files.createDirectories(plan.work());
        try {
            setUp();
            for (int i = 1; i <= Math.min(DESKTOPS, plan.agents()); i++) {
                Desktop d = new Desktop(String.format(Locale.ROOT, "agent%05d", i));
                d.signIn(); // one at a time, before the calls: a sign-in hashes the password, a server takes few at once
                desktops.add(d);
                Thread.ofVirtual().name("chaos-desktop-" + i).start(d::run);
            }
            long start = System.nanoTime();
            List<Thread> lanes = new ArrayList<>();
            for (int i = 0; i < plan.calls(); i++) {
                lanes.add(Thread.ofVirtual().name("chaos-caller-" + i).start(this::callerLane));
                if (i % 20 == 19) {
                    Thread.sleep(50); // ramp: 400 new calls a second at most
                }
            }
            Thread chaos = Thread.ofPlatform().name("chaos").start(() -> chaos(start));
            Thread.ofVirtual().start(this::callbacks);
            while (System.nanoTime() - start < plan.duration().toNanos()) {
                Thread.sleep(1000);
            }
            placing = false;
            if (!chaos.join(Duration.ofMinutes(5))) {
                chaos.interrupt(); // then no start of the chaos thread runs beside the one below
                chaos.join();
                violations.add("the chaos schedule did not end within 5 minutes of the last call");
            }
            log("calls stop coming; waiting for the calls in progress");
            long callsDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            for (Thread t : lanes) {
                if (!t.join(Duration.ofNanos(Math.max(1, callsDeadline - System.nanoTime())))) {
                    violations.add("a caller still on the line 3 minutes after the end: " + t.getName());
                }
            }
            for (Node n : nodes) {
                if (!n.up) {
                    start(n);
                }
            }
            checkInvariants();
        } finally {
            close();
        }
        // issue 17: no late answer the servers did not resolve, no refused answer bridged anyway
        List<String> logProblems = ServerLogs.lateAnswerProblems(ServerLogs.logsIn(plan.work(), "node"));
        logProblems.stream().limit(20).forEach(l -> violations.add("server log: " + l));
        if (logProblems.size() > 20) {
            violations.add("server log: " + (logProblems.size() - 20) + " more such lines");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        new TreeMap<>(figures).forEach((k, v) -> out.put(k, v.get()));
        return new Result(out, ms(all.getValueAtPercentile(99)), ms(duringKills.getValueAtPercentile(99)),
                ms(duringKills.getMaxValue()), List.copyOf(violations));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private void count(String figure) {
        figures.computeIfAbsent(figure, k -> new AtomicLong()).incrementAndGet();
    }

    private void slowest(String figure, long sinceNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        figures.computeIfAbsent(figure, k -> new AtomicLong()).accumulateAndGet(ms, Math::max);
    }

    private static void log(String line) {
        System.out.printf(Locale.ROOT, "%tT chaos: %s%n", System.currentTimeMillis(), line);
    }

    // ---- set-up ----------------------------------------------------------------------------------------------

    private void setUp() throws Exception {
        Path work = plan.work();
        Path flows = Files.createDirectories(work.resolve("flows"));
        Files.createDirectories(work.resolve("prompts/en"));
        try (InputStream in = ChaosRun.class.getResourceAsStream("/chaos/chaos.yaml")) {
            if (in == null) {
                throw new IOException("the load generator lacks its resource chaos/chaos.yaml");
            }
            Files.copy(in, flows.resolve("chaos.yaml"), StandardCopyOption.REPLACE_EXISTING);
        }
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        secret(work.resolve("cluster.key"), Base64.getEncoder().encodeToString(key));
        random.nextBytes(key);
        secret(work.resolve("pin-pepper"), Base64.getEncoder().encodeToString(key));
        random.nextBytes(key);
        token = HexFormat.of().formatHex(key);
        secret(work.resolve("admin-token"), token);
        random.nextBytes(key);
        String amiSecret = HexFormat.of().formatHex(key);

        PostgresServer pg = PostgresServer.get();
        String direct = pg.newDatabase();
        String database = direct.substring(direct.lastIndexOf('/') + 1);
        dbUrl = direct;
        dbProxy = new TcpProxy(pg.port());
        String viaProxy = PostgresServer.url(dbProxy.port(), database);
        log("PostgreSQL " + pg.version() + " database " + database + " through the proxy on " + dbProxy.port());

        ami = new FakeAmi(AMI_USER, amiSecret);
        for (int i = 1; i <= plan.agents(); i++) {
            ami.endpoint(endpoint(i), "NOT_INUSE");
        }
        for (int i = 0; i < NODES; i++) {
            nodes[i] = new Node(i);
        }
        String members = String.join(", ", java.util.Arrays.stream(nodes).map(n -> "127.0.0.1:" + n.hz).toList());
        String cluster = "chaos-" + Long.toHexString(random.nextLong());
        for (Node n : nodes) {
            n.config = work.resolve("node" + (n.index + 1) + ".yaml");
            Files.writeString(n.config, """
                    # written by loadgen chaos for one run
                    node:
                      name: node%1$d
                      data-dir: %2$s
                    agi:
                      port: 0
                      drain-time: 2s
                    http:
                      port: 0
                      admin-token-file: %3$s
                    cluster:
                      name: %4$s
                      port: %5$d
                      members: [%6$s]
                      secret-file: %7$s
                    crm:
                      pin-pepper-file: %8$s
                    database:
                      url: %9$s
                      user: %10$s
                      password: ""
                      connect-timeout: 1s
                    tts:
                      enabled: false
                    speech:
                      enabled: false
                      port: 0
                    flows:
                      dir: %11$s
                      calendars: %12$s
                      watch: false
                    prompts:
                      dir: %13$s
                      prerender: false
                    routing:
                      owner-left-grace: 30s
                      owner-lost-hold: 5s
                      callback-lease: 5s
                      queues:
                        - id: sales
                          skills: {sales: 1}
                          ring-time: 20s
                          wrap-up: 1s
                          max-wait: 30m
                          default-handle-time: 5s
                    ami:
                      enabled: true
                      host: 127.0.0.1
                      port: %14$d
                      username: %15$s
                      secret: %16$s
                    """.formatted(n.index + 1, n.dataDir(work),
                    work.resolve("admin-token"), cluster, n.hz, members, work.resolve("cluster.key"),
                    work.resolve("pin-pepper"), viaProxy, PostgresServer.USER, flows, work.resolve("calendars.yaml"),
                    work.resolve("prompts"), ami.port(), AMI_USER, amiSecret));
        }
        start(nodes[0]); // the first forms the cluster; the others join it at once, side by side
        try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Void>> joining = new ArrayList<>();
            for (int i = 1; i < NODES; i++) {
                Node n = nodes[i];
                joining.add(starting.submit(() -> {
                    start(n);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Void> f : joining) {
                f.get();
            }
        }
        awaitMembers(NODES, Duration.ofMinutes(3));
        log("three servers in one cluster; creating " + plan.agents() + " agents");
        BenchDeployment.agents(nodes[0].httpPort, work, plan.agents());
        Thread.ofVirtual().name("chaos-ami").start(this::answerCallbacks);
    }

    private static void secret(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String endpoint(int agent) {
        return String.format(Locale.ROOT, "PJSIP/a%05d", agent); // as BenchDeployment.agents names them
    }

    /**
     * Starts a node's server and waits until it listens. One process per node, always: a start that does not listen
     * in time (its JVM hung joining the cluster, say) is killed, and only once it is gone is the node started again,
     * once; a process of the node still alive from before is killed first.
     */
    private void start(Node n) throws IOException, InterruptedException {
        synchronized (n) {
            for (int attempt = 1; ; attempt++) {
                ServerProcess old = n.process;
                if (old != null && old.alive() && !old.kill()) {
                    throw new IOException("node" + (n.index + 1) + " (pid " + old.pid() + ") does not die");
                }
                Path log = plan.work().resolve("node" + (n.index + 1) + ".log");
                // ServerProcess truncates: each start after the first gets its own file
                Path thisStart = Files.exists(log) ? plan.work().resolve("node" + (n.index + 1) + "-"
                        + System.currentTimeMillis() + ".log") : log;
                n.process = ServerProcess.ivr(plan.jar(), n.config, 0, List.of("-Xmx" + plan.heap(), "-XX:+UseG1GC",
                        "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1"), thisStart, List.of());
                try {
                    ServerPorts ports = n.process.awaitPorts(n.dataDir(plan.work()), START_TIMEOUT);
                    n.agi = ports.agi();
                    n.httpPort = ports.http();
                    n.pbx = new FakePbx("127.0.0.1", ports.agi()).answerGosub("ivr-agent-answered", "agent-answered");
                    n.up = true;
                    log("node" + (n.index + 1) + " up, pid " + n.process.pid() + ", FastAGI " + n.agi + ", HTTP "
                            + n.httpPort);
                    return;
                } catch (IOException e) {
                    boolean gone = n.process.kill();
                    count("server starts that failed (killed, then started again once)");
                    log("node" + (n.index + 1) + " start " + attempt + " failed (" + e.getMessage() + "; see "
                            + thisStart.getFileName() + "); killed" + (gone ? "" : " but still not gone"));
                    if (attempt == START_ATTEMPTS || !gone) {
                        throw e;
                    }
                }
            }
        }
    }

    private void awaitMembers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String want = count + " member(s) in cluster";
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Node n : nodes) {
                if (n.up && !health(n).contains(want)) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(500);
        }
        violations.add("the cluster did not reach " + count + " members within " + timeout);
    }

    private String health(Node n) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + "/health"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---- the calls --------------------------------------------------------------------------------------------

    private Node liveNode(Node not) {
        for (int i = 0; i < NODES * 2; i++) {
            Node n = nodes[Math.floorMod(nextNode.getAndIncrement(), NODES)];
            if (n.up && n != not) {
                return n;
            }
        }
        return nodes[0];
    }

    /** One lane of calls: a call at a time, each to the next live server, until the run ends. */
    private void callerLane() {
        while (placing) {
            try {
                oneCall();
            } catch (RuntimeException e) {
                count("failure: " + e.getClass().getSimpleName());
            }
        }
    }

    /** A caller who stays on the line until an agent has talked to them, across server deaths. */
    private void oneCall() {
        Node node = liveNode(null);
        String id = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            FakeCall call = call(node, id);
            id = call.uniqueId();
            if (attempt == 0) {
                callIds.add(id);
                count("calls placed");
            }
            CallResult r = call.result().exceptionally(e -> null).join();
            ends.put(id, new long[] {System.nanoTime(), node.index});
            if (r == null) {
                count("failure: fake PBX error");
                return;
            }
            boolean answered = r.dials().stream().map(DialedLeg::status).anyMatch("ANSWER"::equals);
            if (answered) {
                count(attempt == 0 ? "calls answered by an agent" : "calls answered by an agent after a failover");
                if (r.variables().getOrDefault("IVR_STATUS", "").isEmpty()) {
                    count("calls whose server died while the agent talked");
                }
                return;
            }
            String status = r.variables().getOrDefault("IVR_STATUS", "");
            if (!status.isEmpty()) {
                // the server ended the call on purpose without an agent: a caller who stayed on the line was not served
                count("failure: ended without an agent (IVR_STATUS " + status + ")");
                violations.add("call " + id + " ended without reaching an agent (IVR_STATUS " + status + ", "
                        + r.commandNames().stream().skip(Math.max(0, r.commandNames().size() - 4)).toList() + ")");
                return;
            }
            // no IVR_STATUS: the server died (or refused the call) before an agent; the dialplan's fallback (ivr-agi:
            // AGI(${IVR_BACKUP}) when IVR_STATUS is empty) takes the call to another server with the same unique id
            count("failovers (the call came back to another server)");
            Node previous = node;
            node = liveNode(previous);
            sleepQuietly(Duration.ofMillis(200));
        }
        count("failure: gave up after 6 failovers");
        violations.add("call " + id + " failed over 6 times without reaching an agent");
    }

    private FakeCall call(Node node, String uniqueId) {
        CompletableFuture<Void> hangUp = new CompletableFuture<>();
        String[] phone = {null, "first"};
        long talk = ThreadLocalRandom.current().nextLong(plan.talkMin().toMillis(), plan.talkMax().toMillis() + 1);
        FakePbx.CallBuilder b = node.pbx.call("chaos").language("en").callerId("+36201" + ThreadLocalRandom.current()
                        .nextInt(100000, 999999))
                .listener((AgiCommand c, long nanos) -> {
                    if (!phone[1].isEmpty()) {
                        // the first command only: how long a server takes to take a new call on (the later ones include
                        // the queue's deliberate waits)
                        phone[1] = "";
                        record(nanos);
                    }
                    if (c.isExec("Dial")) {
                        String endpoint = c.arg(1, "").split(",")[0];
                        phone[0] = endpoint;
                        offered(endpoint);
                        timers.schedule(() -> {
                            freed(endpoint);
                            hangUp.complete(null);
                        }, talk, TimeUnit.MILLISECONDS);
                    }
                })
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, hangUp).thenSilence());
        if (uniqueId != null) {
            b.uniqueId(uniqueId);
        }
        FakeCall call = b.start();
        call.result().whenComplete((r, e) -> {
            if (phone[0] != null && !hangUp.isDone()) {
                // the AGI connection went while the phone rang or talked (its server died): Asterisk's bridge goes
                // on; the agent talks to the end and the phone is then free
                timers.schedule(() -> {
                    freed(phone[0]);
                    hangUp.complete(null);
                }, talk, TimeUnit.MILLISECONDS);
            }
        });
        return call;
    }

    private void record(long nanos) {
        long micros = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), all.getHighestTrackableValue()));
        synchronized (all) {
            all.recordValue(micros);
            if (System.nanoTime() < killWindowUntil.get()) {
                duringKills.recordValue(micros);
            }
        }
    }

    private void offered(String endpoint) {
        if (!phonesInUse.add(endpoint)) {
            doubleOffers.add(endpoint);
        }
        ami.deviceState(endpoint, "INUSE");
    }

    private void freed(String endpoint) {
        phonesInUse.remove(endpoint);
        ami.deviceState(endpoint, "NOT_INUSE");
    }

    /** Answers every callback's Originate (the agent picks up), talks, hangs up: as the PBX would report it. */
    private void answerCallbacks() {
        int seen = 0;
        while (!closed) {
            List<FakeAmi.Originated> o = ami.originated();
            for (; seen < o.size(); seen++) {
                FakeAmi.Originated call = o.get(seen);
                String endpoint = call.action().getOrDefault("Channel", "");
                offered(endpoint);
                long talk = ThreadLocalRandom.current().nextLong(plan.talkMin().toMillis(), plan.talkMax().toMillis() + 1);
                timers.schedule(() -> {
                    ami.hangup(call.channel(), call.uniqueId());
                    freed(endpoint);
                }, talk, TimeUnit.MILLISECONDS);
            }
            if (!sleepQuietly(Duration.ofMillis(100))) {
                return;
            }
        }
    }

    /** Schedules the run's callbacks through the API, spread over its first half. */
    private void callbacks() {
        if (plan.callbacks() == 0) {
            return;
        }
        long every = plan.duration().toMillis() / 2 / plan.callbacks();
        for (int i = 0; i < plan.callbacks() && placing; i++) {
            sleepQuietly(Duration.ofMillis(every));
            Node n = liveNode(null);
            String number = String.format(Locale.ROOT, "+3630%07d", i);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort
                                + "/api/callbacks")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"number\":\"" + number + "\",\"queue\":\"sales\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = ID.matcher(r.body());
                if (r.statusCode() / 100 == 2 && m.find()) {
                    callbackIds.add(m.group(1));
                    count("callbacks scheduled");
                } else {
                    count("callbacks refused (" + r.statusCode() + ")");
                }
            } catch (IOException e) {
                count("callbacks refused (" + e.getClass().getSimpleName() + ")"); // its server died meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- the chaos --------------------------------------------------------------------------------------------

    /** Kills and database cuts at even intervals: kill k at (k+1)/(kills+1) of the run, cuts halfway between. */
    private void chaos(long start) {
        record Event(long atNanos, boolean kill) {
        }
        List<Event> events = new ArrayList<>();
        long d = plan.duration().toNanos();
        for (int k = 0; k < plan.kills(); k++) {
            events.add(new Event(d * (k + 1) / (plan.kills() + 1), true));
        }
        for (int c = 0; c < plan.dbCuts(); c++) {
            events.add(new Event(d * (2L * c + 1) / (2L * plan.dbCuts() + 1) + d / (4L * (plan.kills() + 1)), false));
        }
        events.sort(java.util.Comparator.comparingLong(Event::atNanos));
        int victim = NODES - 1;
        try {
            for (Event e : events) {
                long wait = start + e.atNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                }
                if (!placing) {
                    return;
                }
                if (e.kill()) {
                    killAndRestart(nodes[victim]);
                    victim = Math.floorMod(victim - 1, NODES);
                } else {
                    log("database cut for " + plan.dbCut().toSeconds() + " s");
                    count("database cuts");
                    dbProxy.cut();
                    Thread.sleep(plan.dbCut().toMillis());
                    dbProxy.restore();
                    log("database back");
                }
            }
        } catch (Exception ex) {
            violations.add("the chaos schedule failed: " + ex);
        }
    }

    private void killAndRestart(Node n) throws Exception {
        awaitMembers(NODES, Duration.ofMinutes(2)); // the previous victim is back in the cluster first
        ProcessHandle h = ProcessHandle.of(n.process.pid()).orElseThrow();
        killWindowUntil.set(Long.MAX_VALUE);
        n.up = false;
        killedAt.computeIfAbsent(n.index, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
        h.destroyForcibly(); // SIGKILL
        h.onExit().get(30, TimeUnit.SECONDS);
        count("kills (SIGKILL)");
        log("node" + (n.index + 1) + " killed");
        Thread.sleep(plan.restartAfter().toMillis()); // the time an init system takes to start it again
        long restart = System.nanoTime();
        start(n);
        slowest("slowest restart: start to FastAGI listening, ms", restart);
        awaitMembers(NODES, Duration.ofMinutes(2));
        slowest("slowest restart: start to back in the cluster of 3, ms", restart);
        killWindowUntil.set(System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
    }

    // ---- afterwards -------------------------------------------------------------------------------------------

    private void checkInvariants() throws Exception {
        awaitMembers(NODES, Duration.ofMinutes(2));
        // the desktops: no silent gap in any agent's desk messages (a resume may still be on its way: a moment)
        long desksDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < desksDeadline && desktops.stream().anyMatch(d -> !d.holes().isEmpty())) {
            Thread.sleep(1000);
        }
        long deskMessages = 0;
        for (Desktop d : desktops) {
            List<String> holes = d.holes();
            synchronized (d) {
                deskMessages += d.received.size();
                figures.computeIfAbsent("desktop connections (8 desktops, reconnecting)", k -> new AtomicLong())
                        .addAndGet(d.connections);
            }
            if (d.floor < 0) {
                violations.add("desktop of " + d.agentId + " never received its snapshot (last error: " + d.lastError
                        + ")");
            }
            holes.stream().limit(5).forEach(h -> violations.add("desktop of " + d.agentId + ": desk message(s) " + h
                    + " never received (no replay, no resync)"));
            d.close();
        }
        figures.put("desk messages received by the connected desktops", new AtomicLong(deskMessages));
        for (String phone : new HashSet<>(doubleOffers)) {
            violations.add("agent phone " + phone + " offered a call while it was on another");
        }
        // the agents: nobody reserved (ringing) or on a call once the calls are over
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, String> busy = Map.of();
        do {
            busy = agentsIn(Set.of("RESERVED", "ON_CALL"));
            if (busy.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        busy.forEach((agent, state) -> violations.add("agent " + agent + " left " + state + " after the run"));

        // the database: every call has its interaction (the lost ones written by a survivor after the grace),
        // every callback is over and was dialled exactly once
        deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Set<String> missing;
        Map<String, String> open;
        do {
            missing = new HashSet<>(callIds);
            missing.removeAll(ids("select call_id from interactions"));
            open = callbacksOpen();
            if (missing.isEmpty() && open.isEmpty()) {
                break;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        // known limit: a call's interaction is in the server's memory for the moment between the call's end and the
        // writer's commit (or the outbox on disk); a SIGKILL in that moment loses it. Counted, not a violation.
        Set<String> inTheWritersMoment = new HashSet<>();
        for (String id : missing) {
            long[] end = ends.get(id);
            if (end != null && killedAt.getOrDefault((int) end[1], List.of()).stream()
                    .anyMatch(k -> k >= end[0] && k - end[0] < TimeUnit.SECONDS.toNanos(2))) {
                inTheWritersMoment.add(id);
            }
        }
        missing.removeAll(inTheWritersMoment);
        figures.put("interactions lost: call ended < 2 s before its server's SIGKILL", new AtomicLong(inTheWritersMoment.size()));
        figures.put("interactions missing", new AtomicLong(missing.size()));
        missing.stream().limit(20).forEach(id -> violations.add("call " + id + " has no interaction"));
        String inCluster = callbacksInCluster();
        open.forEach((id, state) -> violations.add("callback " + id + " still " + state + " in the database after the run"
                + " (in the cluster: " + clusterState(inCluster, id) + ")"));
        Map<String, Integer> dialled = new java.util.HashMap<>();
        for (FakeAmi.Originated o : ami.originated()) {
            dialled.merge(o.variables().getOrDefault("IVR_CALL_ID", "?"), 1, Integer::sum);
        }
        Map<String, Integer> attempts = callbackAttempts();
        for (String id : callbackIds) {
            String callId = callbackCallId(id);
            int n = dialled.getOrDefault(callId, 0);
            int tries = attempts.getOrDefault(id, -1);
            if (n == 0 && callbackReason(id).contains("node lost")) {
                // marked DIALING, then its server died before the Originate reached the PBX: the server that took it
                // over finds no channel with its IVR_CALL_ID on the PBX and dials it; closing it undialled is a loss
                count("callbacks closed undialled: server killed between DIALING and its Originate");
                violations.add("callback " + id + " closed undialled as \"node lost\" though the PBX never had its call");
            } else if (n != 1) {
                violations.add("callback " + id + " dialled " + n + " times (attempts in the table: " + tries + ")");
            }
        }
        figures.put("callbacks dialled", new AtomicLong(dialled.values().stream().mapToInt(Integer::intValue).sum()));
        figures.put("interactions FAILED (node lost)", new AtomicLong(queryCount(
                "select count(*) from interactions where outcome = 'FAILED'")));
    }

    private Map<String, String> agentsIn(Set<String> states) {
        Map<String, String> out = new TreeMap<>();
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + liveNode(null).httpPort
                    + "/api/agents")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = STATE.matcher(body);
            while (m.find()) {
                if (states.contains(m.group(2))) {
                    out.put(m.group(1), m.group(2));
                }
            }
        } catch (IOException e) {
            out.put("?", "unknown: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private String callbacksInCluster() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + liveNode(null).httpPort
                    + "/api/callbacks")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String clusterState(String list, String id) {
        Matcher m = STATE.matcher(list);
        while (m.find()) {
            if (m.group(1).equals(id)) {
                return m.group(2);
            }
        }
        return "absent";
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(dbUrl, PostgresServer.USER, "");
    }

    private Set<String> ids(String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long queryCount(String sql) throws SQLException {
        try (Connection c = db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, String> callbacksOpen() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select id, state from callbacks where state not in ('DONE', 'FAILED', 'CANCELLED')")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private Map<String, Integer> callbackAttempts() throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select id, attempts from callbacks")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    private String callbackReason(String id) throws SQLException {
        try (Connection c = db(); var ps = c.prepareStatement("select reason from callbacks where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
            }
        }
    }

    private String callbackCallId(String id) throws SQLException {
        try (Connection c = db(); var ps = c.prepareStatement("select call_id from callbacks where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : id;
            }
        }
    }

    private static boolean sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void close() {
        closed = true;
        desktops.forEach(Desktop::close);
        timers.shutdownNow();
        // side by side: each may take its drain time and its member's shutdown
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Node n : nodes) {
                if (n != null && n.process != null) {
                    stopping.execute(n.process::close);
                }
            }
        }
        if (dbProxy != null) {
            dbProxy.close();
        }
        if (ami != null) {
            try {
                ami.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
