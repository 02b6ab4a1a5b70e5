package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contact center's day driven by the load generator through a real ivr server (the packaged jar in its own JVM, H2
 * file database, the README's default) whose clock runs {@code speed} times faster under libfaketime
 * ({@code faketime -f "@DATE TIME xSPEED"}): every timer, sleep and timestamp of the server agrees with that clock, and
 * the load generator divides every time it waits by the same speed. A day of 13 hours at x60 takes 13 minutes.
 *
 * <p>What the day has: calls arriving as a non-homogeneous Poisson process with a morning and an afternoon peak; agents
 * on three shifts signing in and out, with breaks, lunch and the odd meeting or training (not-ready reasons); talk and
 * wrap-up times drawn from log-normal distributions; callers who serve themselves in the IVR (the balance), who go to
 * the operator (a transfer), who hang up in the queue (some at once: short abandons), who ask to be called back
 * (dialled later by the server through the fake AMI, answered by an agent). The generator keeps its own tally of what
 * it placed and saw; {@link Result#mismatches()} compares it with the server's queue and flow reports.
 *
 * <p>{@code loadgen day} runs it from the command line (docs/reporting.md), {@code SimulatedDayIT} a short one.
 */
public final class DayRun {
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final String AMI_USER = "ivr";
    private static final String FLOW = "day";
    static final String SUPERVISOR = "sam";
    static final String SUPERVISOR_PASSWORD = "day-supervisor-password";
    /**
     * Fake time before the day opens, at least (twice the server's first start at the day's speed, if more). 20 minutes:
     * with two days starting side by side (the suite's two day tests) a second start under faketime took 11 to 13 s of
     * real time after a first start of 7 s, and 10 minutes at x60 left both servers late.
     */
    private static final Duration LEAD = Duration.ofMinutes(20);
    private static final String[] NAMES = {"Anna Kovacs", "Peter Nagy", "Maria Szabo", "John Smith", "Eva Toth",
        "David Horvath", "Sarah Varga", "Gabor Kiss", "Julia Molnar", "Tom Brown", "Kata Farkas", "Ben Lee",
        "Lilla Balogh", "Mark Papp", "Nora Takacs", "Adam Juhasz", "Zoe Meszaros", "Paul Simon", "Rita Olah",
        "Sam Green", "Ivan Fekete", "Lena Vass", "Max Bodnar", "Emma Racz", "Otto Kelemen", "Ida Pinter",
        "Leo Fodor", "Mia Sandor", "Noah Lakatos", "Vera Hajdu"};

    /**
     * The size of a day.
     *
     * @param date        the day (the server's clock starts 40 fake minutes before {@code open} on it, UTC)
     * @param open        first call (agents of the early shift sign in from here)
     * @param close       last call; the late shift signs out from here
     * @param speed       how much faster the server's clock runs (libfaketime's xN); the generator's waits are divided by it
     * @param calls       calls in the day (their arrival times drawn with the day's curve)
     * @param agents      agents, spread over three shifts
     * @param seed        the random seed: the same seed places the same day
     * @param work        the server's configuration, data and log
     * @param jar         the packaged server ({@code ivr-server/target/ivr-server.jar})
     * @param screenshots where to write the screenshots (null: none)
     * @param lateRings   in how many of a hundred queue calls the agent's phone rings past the reservation's time to
     *                    live (routing.reservation-ttl, 2 minutes of the day's clock) before the agent answers: late
     *                    answers (issue 17); the caller stays for the next agent when one is refused
     */
    public record Plan(LocalDate date, LocalTime open, LocalTime close, int speed, int calls, int agents, long seed,
                       Path work, Path jar, Path screenshots, int lateRings) {
        public Plan {
            if (speed < 1 || calls < 1 || agents < 3 || !close.isAfter(open) || lateRings < 0 || lateRings > 100) {
                throw new IllegalArgumentException("need speed >= 1, calls >= 1, agents >= 3, close after open and "
                        + "late rings 0 to 100");
            }
        }

        /** A day without late rings. */
        public Plan(LocalDate date, LocalTime open, LocalTime close, int speed, int calls, int agents, long seed,
                    Path work, Path jar, Path screenshots) {
            this(date, open, close, speed, calls, agents, seed, work, jar, screenshots, 0);
        }
    }

    /** How long a late ring lasts (of the day's clock): past the server's default reservation-ttl of 2 minutes. */
    static final Duration LATE_RING = Duration.ofMinutes(2).plusSeconds(40);

    /**
     * What the day did.
     *
     * @param tally       the generator's own counts (calls placed, offered to a queue, answered, abandoned ...)
     * @param reported    the same figures from the server's reports for the day
     * @param mismatches  the figures that differ, one line each
     * @param screenshots the files written
     * @param realTime    how long the day took in real time
     */
    public record Result(Map<String, Long> tally, Map<String, Long> reported, List<String> comparisons,
                         List<String> mismatches, List<Path> screenshots, Duration realTime) {
        /** The reports against the tally, then the whole tally, as Markdown. */
        public String table() {
            StringBuilder sb = new StringBuilder("| report figure | reports | load generator |\n|---|---|---|\n");
            comparisons.forEach(c -> sb.append(c).append('\n'));
            sb.append("\n| the load generator's tally | count |\n|---|---|\n");
            tally.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            return sb.toString();
        }
    }

    /** The kinds of callers and how many in a hundred. */
    enum Kind {
        SELF_SERVICE(20), HANG_UP_IN_MENU(4), OPERATOR(4), SUPPORT(38), SALES(18), BILLING(16);

        final int percent;

        Kind(int percent) {
            this.percent = percent;
        }

        static Kind draw(Random r) {
            int x = r.nextInt(100);
            for (Kind k : values()) {
                x -= k.percent;
                if (x < 0) {
                    return k;
                }
            }
            return BILLING;
        }

        String key() {
            return switch (this) {
                case SELF_SERVICE -> "1";
                case SUPPORT -> "2";
                case SALES -> "3";
                case BILLING -> "4";
                case OPERATOR -> "0";
                case HANG_UP_IN_MENU -> "";
            };
        }

        boolean queued() {
            return this == SUPPORT || this == SALES || this == BILLING;
        }
    }

    /** Relative call volume per hour of the day, 0 to 23: a morning peak at 10-11 and an afternoon one at 14-15. */
    static final double[] HOURLY = {0, 0, 0, 0, 0, 0, 0, 3, 7, 11, 14, 12, 8, 9, 12, 13, 10, 7, 5, 3, 1, 0, 0, 0};

    private final Plan plan;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Thread.ofVirtual().factory());
    private final Map<String, AtomicLong> tally = new ConcurrentHashMap<>();
    private final List<Path> shots = new CopyOnWriteArrayList<>();
    /** Agents' logouts the server refused (409) although the agent was neither ringing nor on a call. */
    private final List<String> refusedLogouts = new CopyOnWriteArrayList<>();
    private final List<FakeCall> calls = new CopyOnWriteArrayList<>();
    /** Agent id by phone endpoint. */
    private final Map<String, String> agentOf = new ConcurrentHashMap<>();
    private final SecureRandom secrets = new SecureRandom();
    private final AtomicLong samples = new AtomicLong();
    private FakeAmi ami;
    private FakePbx pbx;
    private ServerProcess server;
    /** The running server's FastAGI and HTTP ports (port 0 in its configuration: what it reported). */
    private volatile int agiPort;
    private volatile int httpPort;
    private String token;
    private LocalDateTime fakeStart;
    private long realStart;
    private volatile boolean closed;

    public DayRun(Plan plan) {
        this.plan = plan;
        this.random = new Random(plan.seed());
    }

    // ---- the two clocks ----------------------------------------------------------------------------------------

    /** The server's time now (UTC), from the real time elapsed since it started. */
    LocalDateTime fakeNow() {
        return fakeStart.plus(Duration.ofNanos((System.nanoTime() - realStart) * plan.speed()));
    }

    /** A fake duration in real time. */
    Duration real(Duration fake) {
        return fake.dividedBy(plan.speed());
    }

    private void sleepUntil(LocalDateTime fake) throws InterruptedException {
        long target = realStart + Duration.between(fakeStart, fake).toNanos() / plan.speed();
        long wait = target - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void count(String figure) {
        tally.computeIfAbsent(figure, k -> new AtomicLong()).incrementAndGet();
    }

    private void log(String line) {
        System.out.printf(Locale.ROOT, "%tT day %s: %s%n", System.currentTimeMillis(),
                fakeStart == null ? "--:--" : fakeNow().toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
                line);
    }

    /**
     * libfaketime's multi-threaded library (Debian package faketime), or empty when it is not installed. The server is
     * started with it in LD_PRELOAD through {@code env}, not through the {@code faketime} wrapper: the wrapper forks
     * and leaves the JVM running when it is stopped.
     */
    public static Optional<Path> faketime() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime",
                "/usr/lib/faketime", "/usr/local/lib/faketime")) {
            Path p = Path.of(dir, "libfaketimeMT.so.1");
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    // ---- the run -----------------------------------------------------------------------------------------------

    /** Runs the day, then reads the reports and takes the screenshots; the server is stopped before it returns. */
    public Result run() throws Exception {
        Path faketime = faketime().orElseThrow(() -> new IOException(
                "libfaketime is not installed (Debian: apt-get install faketime, or .ci/setup)"));
        long begun = System.nanoTime();
        try {
            setUp(faketime);
            List<LocalDateTime> arrivals = arrivals();
            log(arrivals.size() + " calls from " + plan.open() + " to " + plan.close() + ", " + plan.agents()
                    + " agents, x" + plan.speed());
            List<Thread> agents = new ArrayList<>();
            for (int i = 1; i <= plan.agents(); i++) {
                Shift s = shift(i);
                String id = agentId(i);
                agents.add(Thread.ofVirtual().name("day-agent-" + i).start(() -> workShift(id, s)));
            }
            Thread.ofVirtual().name("day-ami").start(this::answerCallbacks);
            Thread screens = plan.screenshots() == null ? null : Thread.ofVirtual().name("day-dashboard")
                    .start(this::dashboardAtThePeak);
            List<Thread> callers = new ArrayList<>();
            for (LocalDateTime at : arrivals) {
                sleepUntil(at);
                Kind kind = Kind.draw(random);
                long seed = random.nextLong();
                callers.add(Thread.ofVirtual().name("day-call").start(() -> oneCall(kind, new Random(seed))));
            }
            log("the last call has arrived; waiting for the calls in progress");
            for (Thread t : callers) {
                if (!t.join(real(Duration.ofMinutes(40)).plusSeconds(60))) {
                    count("callers still on the line 40 minutes after the last call");
                    break;
                }
            }
            for (Thread t : agents) {
                t.join(real(Duration.ofHours(1)).plusSeconds(60));
            }
            awaitCallbacksOver();
            if (screens != null) {
                screens.join();
            }
            Map<String, Long> reported = reports();
            Map<String, Long> counted = new LinkedHashMap<>();
            new TreeMap<>(tally).forEach((k, v) -> counted.put(k, v.get()));
            List<String> mismatches = new ArrayList<>();
            List<String> comparisons = new ArrayList<>();
            // what the reports count, from what the generator saw (docs/reporting.md defines each figure)
            compare(mismatches, comparisons, reported, "offered", counted, "offered");
            compare(mismatches, comparisons, reported, "answered", counted, "answered", "callbacks dialled");
            compare(mismatches, comparisons, reported, "abandoned", counted, "abandoned", "sent away by the queue");
            compare(mismatches, comparisons, reported, "callbacks requested", counted, "callbacks requested");
            compare(mismatches, comparisons, reported, "entered the flow", counted, "calls placed");
            compare(mismatches, comparisons, reported, "self-served", counted, "self-served", "sent away by the queue");
            // issue 17: late answers the server did not resolve, refused answers bridged anyway, refused logouts
            List<String> logProblems = ServerLogs.lateAnswerProblems(List.of(plan.work().resolve("server-setup.log"),
                    plan.work().resolve("server.log")));
            logProblems.stream().limit(20).forEach(l -> mismatches.add("server log: " + l));
            if (logProblems.size() > 20) {
                mismatches.add("server log: " + (logProblems.size() - 20) + " more such lines");
            }
            mismatches.addAll(refusedLogouts);
            if (plan.screenshots() != null) {
                reportScreenshots();
            }
            return new Result(counted, reported, comparisons, mismatches, List.copyOf(shots),
                    Duration.ofNanos(System.nanoTime() - begun));
        } finally {
            close();
        }
    }

    // ---- set-up ------------------------------------------------------------------------------------------------

    private static String agentId(int i) {
        return String.format(Locale.ROOT, "agent%02d", i);
    }

    private static String endpoint(int i) {
        return String.format(Locale.ROOT, "PJSIP/day%02d", i);
    }

    private void setUp(Path faketime) throws Exception {
        Path work = plan.work();
        Files.createDirectories(work);
        for (String f : List.of("flows/day.yaml", "prompts/en/day.yaml")) {
            try (InputStream in = DayRun.class.getResourceAsStream("/day/" + f)) {
                if (in == null) {
                    throw new IOException("the load generator lacks its resource day/" + f);
                }
                Path target = work.resolve(f);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(work.resolve("calendars.yaml"), """
                # the simulated day's calendar: open around the clock
                calendars:
                  support:
                    time-zone: UTC
                    open:
                      mon-sun: "00:00-24:00"
                """);
        byte[] key = new byte[24];
        secrets.nextBytes(key);
        String amiSecret = HexFormat.of().formatHex(key);
        ami = new FakeAmi(AMI_USER, amiSecret);
        for (int i = 1; i <= plan.agents(); i++) {
            ami.endpoint(endpoint(i), "NOT_INUSE");
            agentOf.put(endpoint(i), agentId(i));
        }
        Path config = work.resolve("day-ivr.yaml");
        String queues = String.join("", List.of("support:technical:60s:3m", "sales:sales:20s:2m", "billing:billing:30s:3m")
                .stream().map(q -> {
                    String[] p = q.split(":");
                    return """
                                - id: %s
                                  skills: {%s: 1}
                                  service-level-time: %s
                                  ring-time: 20s
                                  wrap-up: %s
                                  default-handle-time: 5m
                            """.formatted(p[0], p[1], p[2], p[3]);
                }).toList());
        // the timeouts that guard against a slow peer or a busy database are the defaults times the speed: the
        // machine does not run faster with the clock (a 2 s wait for a connection would be 33 ms at x60)
        Files.writeString(config, """
                # written by loadgen day for one simulated day
                node:
                  name: day
                  data-dir: %s
                agi:
                  port: 0
                  drain-time: 2s
                  idle-timeout: %ds
                http:
                  port: 0
                  idle-timeout: %ds
                  header-timeout: %ds
                database:
                  connect-timeout: %ds
                cluster:
                  name: day-%s
                  port: 0
                tts:
                  enabled: false
                speech:
                  enabled: false
                  port: 0
                flows:
                  dir: %s
                  calendars: %s
                  watch: false
                prompts:
                  dir: %s
                  prerender: false
                desk:
                  session-idle-timeout: 12h
                  not-ready-reasons: [break, lunch, meeting, training, admin-work]
                reports:
                  live-refresh: 5m
                ami:
                  enabled: true
                  host: 127.0.0.1
                  port: %d
                  username: %s
                  secret: %s
                routing:
                  queues:
                %s""".formatted(work.resolve("data"), 10 * plan.speed(), 120 * plan.speed(), 10 * plan.speed(),
                2 * plan.speed(), HexFormat.of().formatHex(key, 0, 6), work.resolve("flows"), work.resolve("calendars.yaml"),
                work.resolve("prompts"), ami.port(), AMI_USER, amiSecret, queues), StandardCharsets.UTF_8);

        // first on the real clock: the users are made (their passwords hashed) and the start is timed; then again
        // on the day's clock, starting early enough that the server listens before the first call
        long t0 = System.nanoTime();
        server = startServer(config, List.of(), work.resolve("server-setup.log"));
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        token = Files.readString(work.resolve("data/admin-token")).trim();
        for (int i = 1; i <= plan.agents(); i++) {
            post("/api/users", """
                    {"id":"%s","name":"%s","password":"day-password-%s","roles":["agent"],"endpoint":"%s",
                     "skills":{"technical":5,"sales":5,"billing":5},"languages":["en"]}"""
                    .formatted(agentId(i), NAMES[(i - 1) % NAMES.length], agentId(i), endpoint(i)), 201, 409);
        }
        post("/api/users", """
                {"id":"%s","name":"Sam Supervisor","password":"%s","roles":["supervisor"]}"""
                .formatted(SUPERVISOR, SUPERVISOR_PASSWORD), 201, 409);
        server.close();
        Duration lead = LEAD.compareTo(startup.multipliedBy(2L * plan.speed())) > 0 ? LEAD
                : startup.multipliedBy(2L * plan.speed());
        fakeStart = plan.date().atTime(plan.open()).minus(lead);
        String stamp = fakeStart.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT));
        realStart = System.nanoTime();
        // the multi-threaded libfaketime (a JVM's threads read the clock at once), as faketime -m -f "@... x60" sets it;
        // the JVM's sleeps, timed waits and selects are sped up as much as its clocks (checked: docs/reporting.md)
        server = startServer(config, List.of("env", "LD_PRELOAD=" + faketime, "FAKETIME=@" + stamp + " x" + plan.speed()),
                work.resolve("server.log"));
        log("server up on the day's clock (pid " + server.pid() + "; its first start took " + startup.toSeconds()
                + " s), FastAGI " + agiPort + ", HTTP " + httpPort);
        pbx = new FakePbx("127.0.0.1", agiPort).answerGosub("ivr-agent-answered", "agent-answered");
        if (fakeNow().isAfter(plan.date().atTime(plan.open()))) {
            log("the server started late: the first calls come at once");
        }
    }

    /** Starts the server (every port 0) and waits until it reports the ports it bound: each start takes new ones. */
    private ServerProcess startServer(Path config, List<String> prefix, Path log) throws Exception {
        ServerProcess p = ServerProcess.ivr(plan.jar(), config, 0, List.of("-Xmx768m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC"), log, prefix);
        ServerPorts ports;
        try {
            ports = p.awaitPorts(plan.work().resolve("data"), Duration.ofMinutes(3));
        } catch (IOException e) {
            p.close();
            throw e;
        }
        agiPort = ports.agi();
        httpPort = ports.http();
        for (int i = 0; i < 120 && !Files.exists(plan.work().resolve("data/admin-token")); i++) {
            Thread.sleep(500);
        }
        return p;
    }

    // ---- the day's shape ---------------------------------------------------------------------------------------

    /** The calls' arrival times: each drawn from the hourly curve (cut to open-close), uniform within its hour; sorted. */
    List<LocalDateTime> arrivals() {
        double[] weight = new double[24];
        double total = 0;
        for (int h = 0; h < 24; h++) {
            LocalTime from = LocalTime.of(h, 0);
            LocalTime to = h == 23 ? LocalTime.MAX : LocalTime.of(h + 1, 0);
            LocalTime a = from.isBefore(plan.open()) ? plan.open() : from;
            LocalTime b = to.isAfter(plan.close()) ? plan.close() : to;
            double share = b.isAfter(a) ? Duration.between(a, b).toSeconds() / 3600.0 : 0;
            weight[h] = Math.max(HOURLY[h], 0.5) * share;
            total += weight[h];
        }
        List<LocalDateTime> out = new ArrayList<>();
        for (int i = 0; i < plan.calls(); i++) {
            double x = random.nextDouble() * total;
            int h = 0;
            while (h < 23 && x >= weight[h]) {
                x -= weight[h];
                h++;
            }
            LocalTime from = LocalTime.of(h, 0).isBefore(plan.open()) ? plan.open() : LocalTime.of(h, 0);
            LocalTime to = h == 23 || LocalTime.of(h + 1, 0).isAfter(plan.close()) ? plan.close() : LocalTime.of(h + 1, 0);
            long span = Math.max(1, Duration.between(from, to).toMillis());
            out.add(plan.date().atTime(from).plus(Duration.ofMillis((long) (random.nextDouble() * span))));
        }
        out.sort(null);
        return out;
    }

    /** A draw from a log-normal distribution with this median and shape, kept between min and max. */
    static Duration lognormal(Random r, Duration median, double sigma, Duration min, Duration max) {
        double ms = (double) median.toMillis() * Math.exp(sigma * r.nextGaussian());
        return Duration.ofMillis(Math.round(Math.max((double) min.toMillis(), Math.min((double) max.toMillis(), ms))));
    }

    /** An agent's shift: signs in, breaks with their reasons (start, length), signs out. */
    record Shift(LocalDateTime in, LocalDateTime out, List<Map.Entry<LocalDateTime, Map.Entry<String, Duration>>> breaks) {
    }

    /** Three shifts, early / middle / late, spread over the day (the middle one covers both peaks). */
    Shift shift(int agent) {
        long dayMinutes = Duration.between(plan.open(), plan.close()).toMinutes();
        long length = Math.min(dayMinutes, Math.max(60, dayMinutes * 8 / 13)); // 8 hours of a 13-hour day
        int which = agent % 3; // 1, 2, 0: early, middle, late
        long startOffset = switch (which) {
            case 1 -> 0;
            case 2 -> (dayMinutes - length) / 2;
            default -> dayMinutes - length;
        };
        LocalDateTime base = plan.date().atTime(plan.open());
        LocalDateTime in = base.plusMinutes(startOffset + (which == 1 ? 0 : random.nextInt(10)) - (which == 1 ? 5 : 0));
        LocalDateTime out = in.plusMinutes(length + random.nextInt(10));
        if (which == 0 && out.isBefore(plan.date().atTime(plan.close()))) {
            out = plan.date().atTime(plan.close()).plusMinutes(random.nextInt(5));
        }
        List<Map.Entry<LocalDateTime, Map.Entry<String, Duration>>> breaks = new ArrayList<>();
        long l = Duration.between(in, out).toMinutes();
        breaks.add(Map.entry(in.plusMinutes(l / 4 + random.nextInt(20) - 10), Map.entry("break", Duration.ofMinutes(15))));
        breaks.add(Map.entry(in.plusMinutes(l / 2 + random.nextInt(20) - 10), Map.entry("lunch", Duration.ofMinutes(30))));
        breaks.add(Map.entry(in.plusMinutes(l * 3 / 4 + random.nextInt(20) - 10), Map.entry("break", Duration.ofMinutes(10))));
        int extra = random.nextInt(10);
        if (extra < 3) {
            String reason = List.of("meeting", "training", "admin-work").get(extra);
            breaks.add(Map.entry(in.plusMinutes(l * 3 / 8), Map.entry(reason, Duration.ofMinutes(20 + random.nextInt(20)))));
        }
        breaks.sort(Map.Entry.comparingByKey());
        return new Shift(in, out, breaks);
    }

    // ---- the agents --------------------------------------------------------------------------------------------

    private void workShift(String id, Shift s) {
        try {
            sleepUntil(s.in());
            post("/api/agents/" + id + "/login", "{}", 200, 409);
            post("/api/agents/" + id + "/ready", "{}", 200, 409);
            count("agent sign-ins");
            for (Map.Entry<LocalDateTime, Map.Entry<String, Duration>> b : s.breaks()) {
                sleepUntil(b.getKey());
                String reason = b.getValue().getKey();
                if (!awaitFree(id)) {
                    return;
                }
                post("/api/agents/" + id + "/not-ready", "{\"reason\":\"" + reason + "\"}", 200, 409);
                count("agent not-ready: " + reason);
                Thread.sleep(real(b.getValue().getValue()).toMillis());
                post("/api/agents/" + id + "/ready", "{}", 200, 409);
            }
            sleepUntil(s.out());
            if (awaitFree(id)) {
                post("/api/agents/" + id + "/logout", "{}", 200, 409);
                count("agent sign-outs");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            count("agent errors");
            log("agent " + id + ": " + e.getMessage());
        }
    }

    /** Waits (checking every 20 fake seconds) until the agent is not ringing or on a call; false when the run ends. */
    private boolean awaitFree(String id) throws Exception {
        while (!closed) {
            String state = state(id);
            if (!"RESERVED".equals(state) && !"ON_CALL".equals(state)) {
                return true;
            }
            Thread.sleep(Math.max(20, real(Duration.ofSeconds(20)).toMillis()));
        }
        return false;
    }

    private String state(String id) throws Exception {
        Matcher m = STATE.matcher(get("/api/agents/" + id));
        return m.find() ? m.group(1) : "";
    }

    /** After a call the agent wraps up for a drawn time, then says so (the queue's wrap-up time caps it). */
    private void wrapUpLater(String agent, Duration wrapUp) {
        timers.schedule(() -> {
            try {
                if ("WRAP_UP".equals(state(agent))) {
                    post("/api/agents/" + agent + "/wrap-up-done", "{}", 200, 409);
                    count("wrap-ups ended by the agent");
                }
            } catch (Exception e) {
                count("agent errors");
            }
        }, real(wrapUp).toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- the callers -------------------------------------------------------------------------------------------

    private void oneCall(Kind kind, Random r) {
        count("calls placed");
        count("entered the flow");
        Duration talk = switch (kind) {
            case SUPPORT -> lognormal(r, Duration.ofMinutes(5), 0.5, Duration.ofSeconds(40), Duration.ofMinutes(25));
            case SALES -> lognormal(r, Duration.ofMinutes(4), 0.5, Duration.ofSeconds(30), Duration.ofMinutes(20));
            default -> lognormal(r, Duration.ofMinutes(3), 0.5, Duration.ofSeconds(30), Duration.ofMinutes(15));
        };
        Duration wrapUp = lognormal(r, Duration.ofSeconds(kind == Kind.SALES ? 30 : 50), 0.6, Duration.ofSeconds(5),
                Duration.ofSeconds(kind == Kind.SALES ? 110 : 170));
        // patience in the queue: most wait long, one in eight hangs up within seconds (short abandons)
        Duration patience = r.nextInt(8) == 0 ? Duration.ofSeconds(1 + r.nextInt(4))
                : lognormal(r, Duration.ofMinutes(4), 0.8, Duration.ofSeconds(20), Duration.ofMinutes(18));
        boolean wantsCallback = kind == Kind.SUPPORT && r.nextInt(6) == 0;
        Duration think = Duration.ofMillis(1500 + r.nextInt(3000));

        Caller script = Caller.script().pause(real(think));
        if (kind == Kind.HANG_UP_IN_MENU) {
            script.hangUp();
        } else {
            script.press(kind.key());
            if (kind != Kind.SELF_SERVICE && kind != Kind.OPERATOR
                    && r.nextInt(100) < plan.lateRings()) {
                // the agent answers after the reservation ran out: accepted while the call waits, else refused (the
                // answer subroutine does not bridge, Dial ends BUSY) and the caller is offered to the next agent
                count("late rings");
                script.dialRingingFor(real(LATE_RING), Caller.DialOutcome.ANSWER, real(talk));
            }
            // the operator and the agents answer and talk for the drawn time
            script.dial(Caller.DialOutcome.ANSWER, real(talk)).thenSilence();
        }
        // 0: before the menu's prompt, 1: the prompt played, 2: the menu waits for the key (WAIT FOR DIGIT), 3: queued
        java.util.concurrent.atomic.AtomicInteger stage = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean queued = new AtomicBoolean();
        AtomicBoolean dialled = new AtomicBoolean();
        String[] phone = {null};
        FakeCall[] self = {null};
        FakePbx.CallBuilder b = pbx.call(FLOW).language("en")
                .callerId("+3620" + (1_000_000 + r.nextInt(8_999_999)))
                .promptTime(real(Duration.ofSeconds(3)))
                .realTimeouts(plan.speed())
                .caller(script)
                .listener((AgiCommand c, long nanos) -> {
                    if (c.raw().contains("day/menu")) {
                        stage.compareAndSet(0, 1);
                    } else if (stage.get() == 1 && "WAIT FOR DIGIT".equals(c.name())) {
                        stage.set(2);
                    } else if (stage.get() == 2 && kind.queued() && queued.compareAndSet(false, true)) {
                        // the first command after the menu's input: the caller is in the queue now
                        timers.schedule(() -> {
                            if (!dialled.get()) {
                                if (wantsCallback) {
                                    self[0].pressKey('2');
                                } else {
                                    self[0].hangUpNow();
                                }
                            }
                        }, real(wantsCallback ? Duration.ofSeconds(30 + r.nextInt(60)) : patience).toMillis(),
                                TimeUnit.MILLISECONDS);
                    }
                    if (c.raw().contains("day/callback-offer")) {
                        timers.schedule(() -> self[0].pressKey('1'), real(Duration.ofSeconds(4)).toMillis() + 20,
                                TimeUnit.MILLISECONDS);
                    }
                    if (c.isExec("Dial")) {
                        dialled.set(true);
                        String target = c.arg(1, "").split(",")[0];
                        if (target.startsWith("PJSIP/")) {
                            phone[0] = target;
                            ami.deviceState(target, "INUSE");
                        }
                    }
                });
        FakeCall call = b.start();
        self[0] = call;
        calls.add(call);
        CallResult res = call.result().exceptionally(e -> null).join();
        calls.remove(call);
        if (phone[0] != null) {
            ami.deviceState(phone[0], "NOT_INUSE");
        }
        if (res == null) {
            count("failures: fake PBX error");
            return;
        }
        if (samples.incrementAndGet() <= 20) {
            // what the first calls went through, for a look when a figure differs
            String line = kind + " " + res.uniqueId() + " " + res.hungUpBy() + ": " + res.commands().stream()
                    .map(AgiCommand::raw).toList() + " dials " + res.dials() + "\n";
            try {
                Files.writeString(plan.work().resolve("first-calls.txt"), line, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                count("failures: first-calls.txt not written");
            }
        }
        boolean answeredByAgent = res.dials().stream().anyMatch(d -> d.target().startsWith("PJSIP/")
                && "ANSWER".equals(d.status()));
        boolean transferred = res.dials().stream().anyMatch(d -> d.target().startsWith("Local/100")
                && "ANSWER".equals(d.status()));
        boolean callback = res.prompts().stream().anyMatch(p -> p.contains("day/callback-booked"));
        switch (kind) {
            case SELF_SERVICE -> {
                if (res.prompts().stream().anyMatch(p -> p.contains("day/thanks"))) {
                    count("self-served");
                } else {
                    count("failures: self-service caller did not hear the balance");
                }
            }
            case HANG_UP_IN_MENU -> count("hung up in the IVR menu");
            case OPERATOR -> count(transferred ? "transferred to the operator" : "failures: operator not reached");
            default -> {
                count("offered");
                count("offered: " + kind.name().toLowerCase(Locale.ROOT));
                if (answeredByAgent) {
                    count("answered");
                    String agent = agentOf.get(phone[0]);
                    if (agent != null) {
                        wrapUpLater(agent, wrapUp);
                    }
                } else if (callback) {
                    count("callbacks requested");
                } else if (res.hungUpBy() == CallResult.HungUpBy.CALLER) {
                    count("abandoned");
                    if (patience.compareTo(Duration.ofSeconds(5)) < 0) {
                        count("abandoned within 5 s (caller's patience)");
                    }
                } else if (res.prompts().stream().anyMatch(p -> p.contains("day/sorry"))) {
                    // the queue let the caller go (no agent signed in could take the call, or max-wait): the flow says
                    // sorry and ends the call itself; the reports count it as abandoned in the queue, self-served in the flow
                    count("sent away by the queue");
                } else {
                    count("failures: queue caller neither answered, called back nor hung up ("
                            + res.prompts().stream().reduce((x, y) -> y).orElse("") + ")");
                }
            }
        }
    }

    /** Answers every callback's Originate (the agent picks up), talks, hangs up: as the PBX would report it. */
    private void answerCallbacks() {
        int seen = 0;
        Random r = new Random(plan.seed() + 1);
        while (!closed) {
            List<FakeAmi.Originated> o = ami.originated();
            for (; seen < o.size(); seen++) {
                FakeAmi.Originated call = o.get(seen);
                String endpoint = call.action().getOrDefault("Channel", "");
                ami.deviceState(endpoint, "INUSE");
                count("callbacks dialled");
                Duration talk = lognormal(r, Duration.ofMinutes(4), 0.5, Duration.ofSeconds(30), Duration.ofMinutes(20));
                timers.schedule(() -> {
                    ami.hangup(call.channel(), call.uniqueId());
                    ami.deviceState(endpoint, "NOT_INUSE");
                    String agent = agentOf.get(endpoint);
                    if (agent != null) {
                        wrapUpLater(agent, lognormal(r, Duration.ofSeconds(40), 0.6, Duration.ofSeconds(5),
                                Duration.ofSeconds(170)));
                    }
                }, real(talk).toMillis(), TimeUnit.MILLISECONDS);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitCallbacksOver() throws InterruptedException {
        long deadline = System.nanoTime() + real(Duration.ofHours(2)).plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long requested = tally.getOrDefault("callbacks requested", new AtomicLong()).get();
            long dialled = tally.getOrDefault("callbacks dialled", new AtomicLong()).get();
            if (dialled >= requested && ami.liveChannels().isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        log("callbacks still open after the day");
    }

    // ---- the reports -------------------------------------------------------------------------------------------

    private String period() {
        String d = plan.date().toString();
        return "from=" + d + "T" + plan.open().withMinute(0) + "&to=" + d + "T"
                + (plan.close().getMinute() == 0 ? plan.close() : plan.close().plusHours(1).withMinute(0)) + "&tz=Etc/UTC";
    }

    /** The day's figures from the server's reports (queues: totals; flows: the day flow). */
    private Map<String, Long> reports() throws Exception {
        // the journal is written behind the calls (an outbox): read until two readings 5 s apart agree
        Map<String, Long> last = Map.of();
        for (int i = 0; i < 24; i++) {
            Thread.sleep(5000);
            Map<String, Long> now = readReports();
            if (now.equals(last)) {
                break;
            }
            last = now;
        }
        return last;
    }

    /** The whole day, UTC: a call answered or ended after the close counts too. */
    private String wholeDay() {
        return "from=" + plan.date() + "T00:00&to=" + plan.date().plusDays(1) + "T00:00&tz=Etc/UTC";
    }

    private Map<String, Long> readReports() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        String q = get("/api/reports/queues?interval=day&" + wholeDay());
        String totals = q.substring(Math.max(0, q.indexOf("\"totals\"")));
        out.put("offered", number(totals, "offered"));
        out.put("answered", number(totals, "answered"));
        out.put("abandoned", number(totals, "abandoned"));
        out.put("callbacks requested", number(totals, "callbacks"));
        out.put("short abandons (reports)", number(totals, "shortAbandoned"));
        String f = get("/api/reports/flows?interval=day&flow=" + FLOW + "&" + wholeDay());
        out.put("entered the flow", sum(f, "entered"));
        out.put("self-served", sum(f, "self_served"));
        Files.writeString(plan.work().resolve("queues-day.json"), q);
        Files.writeString(plan.work().resolve("flows-day.json"), f);
        return out;
    }

    /** A reported figure against the sum of the generator's figures that make it. */
    private static void compare(List<String> mismatches, List<String> comparisons, Map<String, Long> reported,
                                String figure, Map<String, Long> counted, String... mine) {
        long sum = 0;
        for (String m : mine) {
            sum += counted.getOrDefault(m, 0L);
        }
        Long theirs = reported.get(figure);
        comparisons.add("| " + figure + " | " + theirs + " | " + sum + " (" + String.join(" + ", mine) + ") |");
        if (theirs == null || theirs != sum) {
            mismatches.add(figure + ": the reports say " + theirs + ", the load generator counted " + sum + " ("
                    + String.join(" + ", mine) + ")");
        }
    }

    /** The first number named so in the JSON text (null: none). */
    static Long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /** The sum of every number named so in the JSON text. */
    static long sum(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)").matcher(json);
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    // ---- the screenshots ---------------------------------------------------------------------------------------

    private void dashboardAtThePeak() {
        try {
            LocalDateTime at = plan.date().atTime(plan.open()).plus(Duration.between(plan.open(), plan.close())
                    .multipliedBy(3).dividedBy(10)); // 10:54 of a 07:00-20:00 day: the morning peak
            sleepUntil(at);
            try (DayBrowser b = DayBrowser.start(plan.work().resolve("chromium-profile"))) {
                b.signIn("http://127.0.0.1:" + httpPort + "/supervisor/", SUPERVISOR, SUPERVISOR_PASSWORD);
                b.awaitCount("#live-kpis .kpi", 8);
                // the live KPIs are computed every 5 fake minutes: one more round, with the sign-ins and calls of the hour
                Thread.sleep(Math.max(1000, real(Duration.ofMinutes(6)).toMillis()));
                b.scrollTo("live-section");
                shots.add(b.screenshot(plan.screenshots().resolve("supervisor-loadgen-day-kpis.png")));
                log("dashboard screenshot taken");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            count("screenshot failures");
            log("dashboard screenshot: " + e);
        }
    }

    private void reportScreenshots() throws Exception {
        String base = "http://127.0.0.1:" + httpPort + "/reports/?";
        try (DayBrowser b = DayBrowser.start(plan.work().resolve("chromium-profile-reports"))) {
            b.signIn(base + "kind=queues&interval=60m&" + period(), SUPERVISOR, SUPERVISOR_PASSWORD);
            b.awaitPresent("svg.service-level-chart rect.chart-bar");
            shots.add(b.screenshot(plan.screenshots().resolve("reports-loadgen-day-queues.png")));
            b.open(base + "kind=agents&interval=day&" + period());
            b.awaitPresent("#report-table td");
            shots.add(b.screenshot(plan.screenshots().resolve("reports-loadgen-day-agents.png")));
            b.open(base + "kind=flows&interval=60m&filter=" + FLOW + "&" + period());
            b.awaitPresent("svg.containment-chart rect.chart-bar");
            shots.add(b.screenshot(plan.screenshots().resolve("reports-loadgen-day-containment.png")));
            b.open(base + "kind=funnel&interval=all&filter=" + FLOW + "&" + period());
            b.awaitPresent("svg.funnel-chart g.funnel-step[data-node='main-menu']");
            b.scrollTo("chart-card");
            shots.add(b.screenshot(plan.screenshots().resolve("reports-loadgen-day-funnel.png")));
        }
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    /** Sends, once more after a second when the connection failed (a busy machine, a keep-alive closed meanwhile). */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            Thread.sleep(1000);
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** @return the status, one of {@code ok} (else an IOException) */
    private int post(String path, String json, int... ok) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build());
        for (int code : ok) {
            if (r.statusCode() == code) {
                if (code == 409 && path.endsWith("/logout")) {
                    // a free agent (awaitFree) whose logout is refused: routing still holds them (a ghost offer)
                    refusedLogouts.add("POST " + path + " refused (409) with the agent free: " + r.body());
                }
                return code;
            }
        }
        throw new IOException("POST " + path + ": " + r.statusCode() + " " + r.body());
    }

    private void close() {
        closed = true;
        calls.forEach(FakeCall::hangUpNow);
        timers.shutdownNow();
        if (server != null) {
            server.close();
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
